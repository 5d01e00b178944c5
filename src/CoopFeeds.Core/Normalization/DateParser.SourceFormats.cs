using System.Globalization;

namespace CoopFeeds.Core.Normalization;

// The .NET date formats a source lists, tried before the built-in forms.
public static partial class DateParser
{
    /// <summary>
    /// The source's formats. A format without a year (or month) would make .NET fill in the current one from
    /// the clock, so a placeholder is parsed instead and the part is left for the group to give.
    /// </summary>
    private static DateParts? ReadSourceFormats(string text, DateParsingContext context)
    {
        foreach (var format in context.DateFormats)
        {
            // Blank, or a standard format without a year or day ("M" month-day, "Y" year-month): .NET would
            // fill the missing part in from the clock.
            if (string.IsNullOrWhiteSpace(format) || format is "m" or "M" or "y" or "Y")
            {
                continue;
            }

            var fields = FormatFields.Of(format);
            var (fullFormat, fullText) = (format, text);
            if (!fields.Year)
            {
                (fullFormat, fullText) = (fullFormat + " yyyy", fullText + " 2000"); // a leap year, so 29 February parses
            }

            if (!fields.Month)
            {
                (fullFormat, fullText) = (fullFormat + " MM", fullText + " 01"); // January has 31 days
            }

            foreach (var culture in context.Cultures)
            {
                const DateTimeStyles styles = DateTimeStyles.AllowWhiteSpaces;
                DateTime wall;
                TimeSpan? offset = null;
                try
                {
                    if (!DateTime.TryParseExact(fullText, fullFormat, culture, styles | DateTimeStyles.RoundtripKind, out wall))
                    {
                        continue;
                    }

                    if (wall.Kind != DateTimeKind.Unspecified
                        && DateTimeOffset.TryParseExact(fullText, fullFormat, culture, styles | DateTimeStyles.AssumeUniversal, out var withOffset))
                    {
                        // The text carried an offset ("zzz", "K"): keep it, and the wall time it qualifies.
                        (wall, offset) = (withOffset.DateTime, withOffset.Offset);
                    }
                }
                catch (FormatException)
                {
                    break; // not a valid format string ("%", an open quote): catalog validation reports it; skip it here
                }

                return new DateParts(
                    fields.Year ? wall.Year : null,
                    fields.Month ? wall.Month : null,
                    fields.Day ? wall.Day : null,
                    fields.Time || offset is not null ? wall.TimeOfDay : null,
                    offset);
            }
        }

        return null;
    }

    /// <summary>Which fields a custom .NET format reads (characters in quotes or after a backslash are literals).</summary>
    private readonly record struct FormatFields(bool Year, bool Month, bool Day, bool Time)
    {
        public static FormatFields Of(string format)
        {
            // A one-letter format is a standard one ("d", "D", "g"...): all of a date.
            if (format.Length == 1)
            {
                return new FormatFields(true, true, true, format is not ("d" or "D"));
            }

            bool year = false, month = false, day = false, time = false;
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if (c is '\'' or '"')
                {
                    var end = format.IndexOf(c, i + 1);
                    i = end < 0 ? format.Length : end;
                    continue;
                }

                if (c == '\\')
                {
                    i++;
                    continue;
                }

                var run = 1;
                while (i + run < format.Length && format[i + run] == c)
                {
                    run++;
                }

                switch (c)
                {
                    case 'y': year = true; break;
                    case 'M': month = true; break;
                    case 'd' when run <= 2: day = true; break; // ddd and dddd are the day's name
                    case 'H' or 'h' or 'm' or 's' or 'f' or 'F' or 't': time = true; break;
                }

                i += run - 1;
            }

            return new FormatFields(year, month, day, time);
        }
    }
}
