using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

public static partial class DateParser
{
    // A Unix time in seconds or milliseconds, alone: what data-time and data-timestamp attributes hold.
    [GeneratedRegex(@"^(?:[0-9]{10}|[0-9]{13})$", RegexOptions.CultureInvariant)]
    private static partial Regex EpochPattern();

    private static DateParts? ReadEpoch(string text)
    {
        if (!EpochPattern().IsMatch(text))
        {
            return null;
        }

        var value = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        var instant = text.Length == 13 ? DateTimeOffset.FromUnixTimeMilliseconds(value) : DateTimeOffset.FromUnixTimeSeconds(value);
        if (instant.Year is < 1995 or > 2100)
        {
            return null; // some other number
        }

        return new DateParts(instant.Year, instant.Month, instant.Day, instant.TimeOfDay, TimeSpan.Zero);
    }
}
