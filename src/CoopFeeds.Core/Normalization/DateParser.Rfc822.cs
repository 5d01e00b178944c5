using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

public static partial class DateParser
{
    // RFC 822 §5 as updated by RFC 1123 §5.2.14 (four-digit years) and RFC 2822 §3.3; the day name is optional and not checked.
    // Leniently, the zone may also be written "+02:00", "UTC+2" or "GMT+05:30", as pages do.
    [GeneratedRegex(@"(?<![a-z0-9])(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?(?<d>[0-9]{1,2})\s+(?<m>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?<y>[0-9]{4}|[0-9]{2})\s+(?<h>[0-9]{1,2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2}))?(?:\s*(?<z>(?:(?:utc|gmt)\s*)?[+-][0-9]{1,2}(?::?[0-9]{2})?|ut|utc|gmt|z|eest|cest|west|cet|bst|wet|eet|[ecmp][sd]t)(?![a-z0-9]))?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Rfc822Pattern();

    private static readonly string[] Rfc822Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static DateParts? ReadRfc822(string text)
    {
        var match = Rfc822Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var year = Number(match, "y");
        if (match.Groups["y"].Length == 2)
        {
            year += year < 50 ? 2000 : 1900; // RFC 2822 §4.3
        }

        var month = Array.IndexOf(Rfc822Months, match.Groups["m"].Value[..3].ToLowerInvariant()) + 1;
        var day = Number(match, "d");
        var time = TimeOf(Number(match, "h"), Number(match, "mi"), match.Groups["s"].Success ? Number(match, "s") : 0);
        if (!IsValidDate(year, month, day) || time is null)
        {
            return null;
        }

        return new DateParts(year, month, day, time, match.Groups["z"].Success ? OffsetOf(match.Groups["z"].Value) : null);
    }
}
