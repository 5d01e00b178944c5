using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

// All-numeric dates, read in each culture's own day order.
public static partial class DateParser
{
    // Day, month and year in digits, one separator used twice: 07/10/2021, 7.10.2021, 07-10-21, 2021/10/07.
    [GeneratedRegex(@"(?<![0-9.:/-])(?<a>[0-9]{1,4})(?<s>[./-])(?<b>[0-9]{1,2})\k<s>(?<c>[0-9]{4}|[0-9]{2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex NumericPattern();

    private static DateParts? ReadNumeric(string text, DateVocabulary vocabulary)
    {
        foreach (Match match in NumericPattern().Matches(text))
        {
            int a = Number(match, "a"), b = Number(match, "b"), c = Number(match, "c");
            if (match.Groups["a"].Length == 4)
            {
                if (match.Groups["c"].Length <= 2 && IsValidDate(a, b, c))
                {
                    return WithTimeAround(new DateParts(a, b, c), text, match);
                }

                continue;
            }

            if (match.Groups["a"].Length > 2)
            {
                continue;
            }

            var year = match.Groups["c"].Length == 2 ? CultureInfo.InvariantCulture.Calendar.ToFourDigitYear(c) : c;

            // Only the cultures' own order: 07/10/2021 is never read both ways.
            foreach (var order in vocabulary.DayOrders)
            {
                var parts = order switch
                {
                    NumericOrder.DayMonthYear => new DateParts(year, b, a),
                    NumericOrder.MonthDayYear => new DateParts(year, a, b),
                    _ => (DateParts?)null, // year-first cultures write the year first: handled above
                };
                if (parts is { IsValid: true } valid)
                {
                    return WithTimeAround(valid, text, match);
                }
            }
        }

        return null;
    }
}
