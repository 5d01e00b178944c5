using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

public static partial class DateParser
{
    // ISO 8601 / RFC 3339 §5.6: full-date, optionally "T" (or a space, RFC 3339 §5.6 note) and a time, optionally an offset.
    [GeneratedRegex(@"(?<![0-9])(?<y>[0-9]{4})-(?<mo>[0-9]{2})-(?<d>[0-9]{2})(?:(?:t|\s+)(?<h>[0-9]{2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.,](?<f>[0-9]+))?)?(?:\s*(?<z>z|[+-][0-9]{2}(?::?[0-9]{2})?))?)?(?![0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    private static DateParts? ReadIso(string text)
    {
        foreach (Match match in IsoPattern().Matches(text))
        {
            int year = Number(match, "y"), month = Number(match, "mo"), day = Number(match, "d");
            if (!IsValidDate(year, month, day))
            {
                continue;
            }

            var parts = new DateParts(year, month, day);
            if (!match.Groups["h"].Success)
            {
                return WithTimeAround(parts, text, match);
            }

            var fraction = match.Groups["f"].Success ? match.Groups["f"].Value.PadRight(7, '0')[..7] : "0";
            var time = TimeOf(Number(match, "h"), Number(match, "mi"), match.Groups["s"].Success ? Number(match, "s") : 0);
            if (time is null)
            {
                continue;
            }

            return parts with
            {
                Time = time + TimeSpan.FromTicks(long.Parse(fraction, CultureInfo.InvariantCulture)),
                Offset = match.Groups["z"].Success ? OffsetOf(match.Groups["z"].Value) : null,
            };
        }

        return null;
    }
}
