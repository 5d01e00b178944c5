using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

// Relative dates in English, French and Spanish, counted back from the fetch.
public static partial class DateParser
{
    [GeneratedRegex(@"(?<!\p{L})(?<w>avant-hier|avant hier|anteayer|antes de ayer|aujourd'hui|aujourdhui|today|yesterday|hier|hoy|ayer)(?!\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeDayPattern();

    [GeneratedRegex(@"(?<!\p{L})(?:just now|right now|a l'instant|ahora mismo)(?!\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex NowPattern();

    // "3 days ago", "a day ago", and the compact "3d ago", "5h ago" of social and forum software.
    [GeneratedRegex(@"(?<![\p{L}0-9])(?:(?<n>[0-9]{1,6})\s*|(?<n>an?|one)\s+)(?<u>\p{L}+)\s+ago(?!\p{L})", RegexOptions.CultureInvariant)]
    private static partial Regex AgoPattern();

    [GeneratedRegex(@"(?<!\p{L})il\s+y\s+a\s+(?:(?<n>[0-9]{1,6})\s*|(?<n>une?)\s+)(?<u>\p{L}+)", RegexOptions.CultureInvariant)]
    private static partial Regex IlYAPattern();

    [GeneratedRegex(@"(?<!\p{L})hace\s+(?:(?<n>[0-9]{1,6})\s*|(?<n>una?|uno)\s+)(?<u>\p{L}+)", RegexOptions.CultureInvariant)]
    private static partial Regex HacePattern();

    private static readonly Dictionary<string, int> RelativeDays = new(StringComparer.Ordinal)
    {
        ["today"] = 0, ["aujourd'hui"] = 0, ["aujourdhui"] = 0, ["hoy"] = 0,
        ["yesterday"] = 1, ["hier"] = 1, ["ayer"] = 1,
        ["avant-hier"] = 2, ["avant hier"] = 2, ["anteayer"] = 2, ["antes de ayer"] = 2,
    };

    private enum Unit { Second, Minute, Hour, Day, Week, Month, Year }

    private static readonly Dictionary<string, Unit> Units = new(StringComparer.Ordinal)
    {
        ["s"] = Unit.Second, ["sec"] = Unit.Second, ["secs"] = Unit.Second, ["second"] = Unit.Second, ["seconds"] = Unit.Second,
        ["seconde"] = Unit.Second, ["secondes"] = Unit.Second, ["seg"] = Unit.Second, ["segundo"] = Unit.Second, ["segundos"] = Unit.Second,
        ["min"] = Unit.Minute, ["mins"] = Unit.Minute, ["minute"] = Unit.Minute, ["minutes"] = Unit.Minute, ["minuto"] = Unit.Minute, ["minutos"] = Unit.Minute,
        ["h"] = Unit.Hour, ["hr"] = Unit.Hour, ["hrs"] = Unit.Hour, ["hour"] = Unit.Hour, ["hours"] = Unit.Hour,
        ["heure"] = Unit.Hour, ["heures"] = Unit.Hour, ["hora"] = Unit.Hour, ["horas"] = Unit.Hour,
        ["day"] = Unit.Day, ["days"] = Unit.Day, ["jour"] = Unit.Day, ["jours"] = Unit.Day, ["dia"] = Unit.Day, ["dias"] = Unit.Day,
        ["week"] = Unit.Week, ["weeks"] = Unit.Week, ["semaine"] = Unit.Week, ["semaines"] = Unit.Week, ["semana"] = Unit.Week, ["semanas"] = Unit.Week,
        ["month"] = Unit.Month, ["months"] = Unit.Month, ["mois"] = Unit.Month, ["mes"] = Unit.Month, ["meses"] = Unit.Month,
        ["year"] = Unit.Year, ["years"] = Unit.Year, ["an"] = Unit.Year, ["ans"] = Unit.Year, ["annee"] = Unit.Year, ["annees"] = Unit.Year,
        ["ano"] = Unit.Year, ["anos"] = Unit.Year,
        // Compact forms ("5m ago", "3d ago", "2w ago"): "m" is minutes there, months are "mo".
        ["m"] = Unit.Minute, ["mn"] = Unit.Minute, ["d"] = Unit.Day, ["j"] = Unit.Day, ["w"] = Unit.Week, ["wk"] = Unit.Week, ["wks"] = Unit.Week,
        ["mo"] = Unit.Month, ["mos"] = Unit.Month, ["y"] = Unit.Year, ["yr"] = Unit.Year, ["yrs"] = Unit.Year,
    };

    /// <summary>
    /// Relative dates, counted back from the fetch time in the source's zone and truncated to the unit they
    /// are given in: "3 hours ago" is the start of that hour, "3 days ago" that day with no time. Truncating
    /// keeps the date steady from one fetch to the next while the page's wording moves on ("3 hours ago" at
    /// 10:20 and "4 hours ago" at 11:05 both give 07:00), so the item does not look edited every hour.
    /// </summary>
    private static DateParts? ReadRelative(string text, DateParsingContext context)
    {
        var zone = context.TimeZone ?? TimeZoneInfo.Utc;

        if (RelativeDayPattern().Match(text) is { Success: true } word)
        {
            return WithTimeAround(DaysBack(RelativeDays[word.Groups["w"].Value], context, zone), text, word);
        }

        if (NowPattern().IsMatch(text))
        {
            return Back(TimeSpan.Zero, Unit.Minute, context, zone);
        }

        foreach (var pattern in new[] { AgoPattern(), IlYAPattern(), HacePattern() })
        {
            if (pattern.Match(text) is not { Success: true } match || !Units.TryGetValue(match.Groups["u"].Value, out var unit))
            {
                continue;
            }

            var n = match.Groups["n"].Value switch
            {
                "a" or "an" or "one" or "un" or "une" or "uno" or "una" => 1,
                var digits => int.Parse(digits, CultureInfo.InvariantCulture),
            };

            try
            {
                return unit switch
                {
                    Unit.Second => Back(TimeSpan.FromSeconds(n), unit, context, zone),
                    Unit.Minute => Back(TimeSpan.FromMinutes(n), unit, context, zone),
                    Unit.Hour => Back(TimeSpan.FromHours(n), unit, context, zone),
                    Unit.Day => DaysBack(n, context, zone),
                    Unit.Week => DaysBack(7 * n, context, zone),
                    Unit.Month => FromDate(LocalFetchTime(context, zone).Date.AddMonths(-n)),
                    _ => FromDate(LocalFetchTime(context, zone).Date.AddYears(-n)),
                };
            }
            catch (ArgumentOutOfRangeException)
            {
                return null; // counted back past year 1
            }
        }

        return null;
    }

    private static DateParts DaysBack(int days, DateParsingContext context, TimeZoneInfo zone) =>
        FromDate(LocalFetchTime(context, zone).Date.AddDays(-days));

    private static DateParts FromDate(DateTime date) => new(date.Year, date.Month, date.Day);

    private static DateParts Back(TimeSpan span, Unit unit, DateParsingContext context, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(context.FetchedAt - span, zone);
        var time = unit switch
        {
            Unit.Second => new TimeSpan(local.Hour, local.Minute, local.Second),
            Unit.Minute => new TimeSpan(local.Hour, local.Minute, 0),
            _ => new TimeSpan(local.Hour, 0, 0),
        };
        return new DateParts(local.Year, local.Month, local.Day, time, local.Offset);
    }
}
