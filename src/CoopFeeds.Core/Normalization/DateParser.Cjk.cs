using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

public static partial class DateParser
{
    // Chinese, Japanese and Korean dates: 2021年10月7日, 2021년 10월 7일 (the month names of those cultures are not words).
    [GeneratedRegex(@"(?<![0-9])(?<y>[0-9]{4})\s*[年년]\s*(?<mo>[0-9]{1,2})\s*[月월]\s*(?<d>[0-9]{1,2})\s*[日일]", RegexOptions.CultureInvariant)]
    private static partial Regex CjkPattern();

    private static DateParts? ReadCjk(string text)
    {
        var match = CjkPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var parts = new DateParts(Number(match, "y"), Number(match, "mo"), Number(match, "d"));
        return parts.IsValid ? WithTimeAround(parts, text, match) : null;
    }
}
