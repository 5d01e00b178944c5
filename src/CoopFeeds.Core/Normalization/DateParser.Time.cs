using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

// The time of day and zone next to a date, shared by the forms.
public static partial class DateParser
{
    // 14:30, 14:30:05, 2:30 pm, 2:30 p.m., 3pm, 14h30, 14 h 30, 18h, optionally followed by UTC, GMT, Z, UTC+02:00,
    // GMT+2, a European zone (CET, CEST, BST, WET, WEST, EET, EEST) or one of RFC 822's North American zones (EST, EDT,
    // CST, CDT, MST, MDT, PST, PDT); "est" only at the end of the text, as in running French it is a word ("18h est
    // annulé", "18h est-elle maintenue ?").
    // The text is case-folded by then. A bare "-12:00" after a time is not read as an offset: in running text it is the
    // end of a range ("10:00-12:00").
    [GeneratedRegex(@"(?<![0-9:.])(?<h>[01]?[0-9]|2[0-3])(?:(?::|\s?h\s?)(?<mi>[0-5][0-9])(?::(?<s>[0-5][0-9]))?(?:\s*(?<ap>a\.?m\.?|p\.?m\.?)(?!\p{L}))?|\s?(?<ap>a\.?m\.?|p\.?m\.?)(?!\p{L})|\s?h(?![\p{L}0-9]))(?:\s*(?<z>(?:utc|gmt)\s*[+-][0-9]{1,2}(?::?[0-9]{2})?|utc|gmt|z|cest|cet|bst|west|wet|eest|eet|edt|[cmp][sd]t|est(?=\s*[,)\]]?\s*$))(?![\p{L}0-9]))?(?![0-9])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimePattern();

    /// <summary>Adds the first time found in the text outside the date itself, if the date has none.</summary>
    private static DateParts WithTimeAround(DateParts parts, string text, Match date)
    {
        if (parts.Time is not null)
        {
            return parts;
        }

        var rest = string.Concat(text.AsSpan(0, date.Index), " ", text.AsSpan(date.Index + date.Length));
        foreach (Match match in TimePattern().Matches(rest))
        {
            if (TimeFrom(match) is var (time, offset))
            {
                return parts with { Time = time, Offset = offset };
            }
        }

        return parts;
    }

    private static (TimeSpan Time, TimeSpan? Offset)? TimeFrom(Match match)
    {
        var hour = Number(match, "h");
        if (match.Groups["ap"].Success)
        {
            if (hour is < 1 or > 12)
            {
                return null;
            }

            var pm = match.Groups["ap"].Value.StartsWith('p') || match.Groups["ap"].Value.StartsWith('P');
            hour = hour % 12 + (pm ? 12 : 0);
        }

        var minute = match.Groups["mi"].Success ? Number(match, "mi") : 0; // "3pm", "18h"
        var time = TimeOf(hour, minute, match.Groups["s"].Success ? Number(match, "s") : 0);
        return time is null ? null : (time.Value, match.Groups["z"].Success ? OffsetOf(match.Groups["z"].Value) : null);
    }

    private static TimeSpan? TimeOf(int hour, int minute, int second) =>
        hour is >= 0 and <= 23 && minute is >= 0 and <= 59 && second is >= 0 and <= 60
            ? new TimeSpan(hour, minute, Math.Min(second, 59)) // a leap second (RFC 3339 §5.7) is read as :59
            : null;

    /// <summary>
    /// Z, UT, UTC, GMT, the RFC 822 §5.1 North American zones, the European ones, or ±hh[:]mm. "-00:00" (RFC 3339 §4.3, offset
    /// unknown) is read as UTC. An offset beyond ±14:00 is not one; the time is then read as wall time.
    /// </summary>
    private static TimeSpan? OffsetOf(string zone)
    {
        switch (zone.ToLowerInvariant())
        {
            case "z" or "ut" or "utc" or "gmt": return TimeSpan.Zero;
            case "est": return TimeSpan.FromHours(-5);
            case "edt": return TimeSpan.FromHours(-4);
            case "cst": return TimeSpan.FromHours(-6);
            case "cdt": return TimeSpan.FromHours(-5);
            case "mst": return TimeSpan.FromHours(-7);
            case "mdt": return TimeSpan.FromHours(-6);
            case "pst": return TimeSpan.FromHours(-8);
            case "pdt": return TimeSpan.FromHours(-7);
            case "wet": return TimeSpan.Zero;
            case "cet" or "bst" or "west": return TimeSpan.FromHours(1);
            case "cest" or "eet": return TimeSpan.FromHours(2);
            case "eest": return TimeSpan.FromHours(3);
        }

        // ±h, ±hh, ±hhmm, ±hh:mm, possibly after "UTC" or "GMT".
        var signed = zone.TrimStart("UTCGMTutcgmt \t".ToCharArray());
        var digits = signed[1..].Replace(":", "", StringComparison.Ordinal);
        var hourDigits = digits.Length <= 2 ? digits.Length : digits.Length - 2;
        var hours = int.Parse(digits[..hourDigits], CultureInfo.InvariantCulture);
        var minutes = hourDigits < digits.Length ? int.Parse(digits[hourDigits..], CultureInfo.InvariantCulture) : 0;
        if (hours > 14 || minutes > 59 || (hours == 14 && minutes > 0))
        {
            return null;
        }

        var offset = new TimeSpan(hours, minutes, 0);
        return signed[0] == '-' ? -offset : offset;
    }
}
