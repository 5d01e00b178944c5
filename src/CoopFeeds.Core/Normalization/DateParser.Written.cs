using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

// Dates with the month written as a word, and ranges of days; the order of the forms read over folded text.
public static partial class DateParser
{
    /// <summary>Written, numeric, relative and partial dates, over folded text (lower case, no accents).</summary>
    private static DateParts? ReadWritten(string text, DateParsingContext context)
    {
        var vocabulary = DateVocabulary.For(context.Cultures);

        if (ReadRange(text, vocabulary) is { } range)
        {
            return range;
        }

        var sawFullDate = false;
        foreach (var pattern in new[] { vocabulary.DayMonthYear, vocabulary.MonthDayYear })
        {
            foreach (Match match in pattern.Matches(text))
            {
                var parts = new DateParts(Number(match, "y"), vocabulary.Months[match.Groups["m"].Value], Number(match, "d"));
                if (parts.IsValid)
                {
                    return WithTimeAround(parts, text, match);
                }

                sawFullDate = true;
            }
        }

        if (sawFullDate)
        {
            return null; // "31 February 2021" is a day that does not exist, not the month of February
        }

        if (ReadNumeric(text, vocabulary) is { } numeric)
        {
            return numeric;
        }

        if (ReadRelative(text, context) is { } relative)
        {
            return relative;
        }

        if (vocabulary.MonthYear.Match(text) is { Success: true } monthYear)
        {
            return new DateParts(Number(monthYear, "y"), vocabulary.Months[monthYear.Groups["m"].Value], null);
        }

        foreach (var pattern in new[] { vocabulary.DayMonth, vocabulary.MonthDay })
        {
            foreach (Match match in pattern.Matches(text))
            {
                var parts = new DateParts(null, vocabulary.Months[match.Groups["m"].Value], Number(match, "d"));
                if (IsValidDate(2000, parts.Month!.Value, parts.Day!.Value))
                {
                    return WithTimeAround(parts, text, match);
                }
            }
        }

        return ReadAlone(text.Trim(), vocabulary);
    }

    /// <summary>
    /// A range of days written with its month and year: the item's date is where it starts. The year belongs to the
    /// end, so a range across New Year starts the year before. "12 - 7 October 2021" is no range (the end comes
    /// first): it is read as the date it ends with, since the number before is more likely an issue or a count.
    /// </summary>
    private static DateParts? ReadRange(string text, DateVocabulary vocabulary)
    {
        foreach (Match match in vocabulary.RangeDayMonthYear.Matches(text))
        {
            var end = vocabulary.Months[match.Groups["m"].Value];
            var start = match.Groups["m1"].Success ? vocabulary.Months[match.Groups["m1"].Value] : end;
            if (Start(match, start, end) is { } parts)
            {
                return WithTimeAround(parts, text, match);
            }
        }

        foreach (Match match in vocabulary.RangeMonthDayYear.Matches(text))
        {
            var start = vocabulary.Months[match.Groups["m"].Value];
            var end = match.Groups["m2"].Success ? vocabulary.Months[match.Groups["m2"].Value] : start;
            if (Start(match, start, end) is { } parts)
            {
                return WithTimeAround(parts, text, match);
            }
        }

        return null;

        static DateParts? Start(Match match, int startMonth, int endMonth)
        {
            int day = Number(match, "d"), endDay = Number(match, "e"), year = Number(match, "y");
            if (startMonth == endMonth && day >= endDay)
            {
                return null;
            }

            var parts = new DateParts(startMonth > endMonth ? year - 1 : year, startMonth, day);
            return parts.IsValid ? parts : null;
        }
    }
}
