using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

// Texts that give only part of a date (a month, a day, a time) for the group to complete, and a group that is a year.
public static partial class DateParser
{
    [GeneratedRegex(@"(?:[\s,;|·-]|\bat|\ba las|\ba la|\ba|\bum|@)+$", RegexOptions.CultureInvariant)]
    private static partial Regex DayTimeJoint();

    [GeneratedRegex(@"^(?<a>[0-9]{1,2})(?<s>[./])(?<b>[0-9]{1,2})\k<s>?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericDayMonthPattern();

    /// <summary>A whole text that is only a month, a day and month in digits, a day (maybe after its weekday), or a time: the group must supply the rest.</summary>
    private static DateParts? ReadAlone(string text, DateVocabulary vocabulary)
    {
        if (vocabulary.MonthAlone.Match(text) is { Success: true } month)
        {
            return new DateParts(null, vocabulary.Months[month.Groups["m"].Value], null);
        }

        if (NumericDayMonthPattern().Match(text) is { Success: true } numeric)
        {
            int a = Number(numeric, "a"), b = Number(numeric, "b");
            foreach (var order in vocabulary.DayOrders)
            {
                var (m, d) = order == NumericOrder.MonthDayYear ? (a, b) : (b, a);
                if (IsValidDate(2000, m, d))
                {
                    return new DateParts(null, m, d);
                }
            }

            return null;
        }

        if (vocabulary.DayAlone.Match(text) is { Success: true } day && Number(day, "d") is >= 1 and <= 31)
        {
            return new DateParts(null, null, Number(day, "d"));
        }

        // A day and a time: "Sat 12, 10:00", "12 at 2:30 pm", "jeudi 3 à 18h".
        foreach (Match at in TimePattern().Matches(text))
        {
            if (at.Index == 0 || at.Index + at.Length != text.Length)
            {
                continue;
            }

            var before = DayTimeJoint().Replace(text[..at.Index], "");
            if (vocabulary.DayAlone.Match(before) is { Success: true } dayBefore && Number(dayBefore, "d") is >= 1 and <= 31
                && TimeFrom(at) is var (t, offset))
            {
                return new DateParts(null, null, Number(dayBefore, "d"), t, offset);
            }
        }

        if (TimePattern().Match(text) is { Success: true } time && time.Index == 0 && time.Length == text.Length)
        {
            return TimeFrom(time) is var (t, offset) ? new DateParts(null, null, null, t, offset) : null;
        }

        return null;
    }

    /// <summary>A group heading that is only a year ("2021"): it can still complete "7 October".</summary>
    private static DateParts? ReadYear(string text) =>
        YearPattern().Match(DateVocabulary.Fold(TextCleaner.Clean(text))) is { Success: true } year
            ? new DateParts(Number(year, "y"), null, null)
            : null;

    [GeneratedRegex(@"(?<![0-9])(?<y>(?:1[89]|2[0-9])[0-9][0-9])(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex YearPattern();
}
