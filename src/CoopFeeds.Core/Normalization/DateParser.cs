using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

/// <summary>
/// Reads the date a listing shows for an item. Pure: the fetch time and the source's conventions come in
/// the <see cref="DateParsingContext"/>.
/// </summary>
/// <remarks>
/// Forms are tried in this order, the first that matches wins:
/// <list type="number">
/// <item>ISO 8601 / RFC 3339, with or without time and offset; the page's offset is kept. A Unix time alone
/// (10 or 13 digits, as data-time attributes hold it), read as UTC.</item>
/// <item>RFC 822 / RFC 1123 date-times ("Mon, 07 Oct 2021 10:00:00 GMT"), English names by definition.
/// Chinese, Japanese and Korean dates (2021年10月7日).</item>
/// <item>The source's own formats, in order, with each of its cultures (the whole text must match).</item>
/// <item>Ranges of days, dated by their start ("28–30 April 2022", "du 29 avril au 1er mai 2022").
/// Written dates in the source's cultures: "7 October 2021", "October 7, 2021", "7th Oct 2021",
/// "1er octobre 2021", "le 7 oct. 2021", "07 de octubre de 2021"; month names case- and accent-insensitive,
/// unambiguous abbreviations accepted ("Sep", "Sept", "janv"). Then all-numeric dates, read only in each
/// culture's own day order (en-GB 07/10/2021 is 7 October, en-US 10/07/2021 is 7 October).</item>
/// <item>Relative dates in English, French and Spanish, against the fetch time in the source's zone:
/// "today", "hier", "ayer", "3 hours ago", "3d ago", "il y a 3 jours", "hace 3 días".</item>
/// <item>Partial dates, completed from the group: month and year ("October 2021": the 1st), day and month
/// ("7 October"), day only ("07", "Thu 07", "28–30", "Sat 12, 10:00"), time only ("10:30").</item>
/// </list>
/// Written and relative dates may sit in other text ("Published on 7 October 2021 | News"); a time next to
/// them ("14:30", "2:30 pm", "3pm", "14h30", "18h", with "UTC", "GMT+2" or "CEST") is taken too.
/// A date without a time is that day at 00:00; one without an offset is wall time in the source's zone
/// (UTC when it has none).
/// </remarks>
public static partial class DateParser
{
    // Long enough for any date with its label; bounds the work on a selector that caught a whole paragraph.
    private const int MaxTextLength = 300;

    /// <summary>The instant the text shows, completed from the group where it lacks a month or year; null when neither gives one.</summary>
    public static DateTimeOffset? Parse(string? text, DateParsingContext context) => Read(text, context).Value;

    /// <summary>
    /// As <see cref="Parse"/>, and whether the text itself was recognised: a text that was not, but whose
    /// group supplied a date, is still worth a warning.
    /// </summary>
    internal static DateReading Read(string? text, DateParsingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var item = ReadText(text, context);
        var group = string.IsNullOrWhiteSpace(context.Group) ? null : ReadText(context.Group, context) ?? ReadYear(context.Group);
        return new DateReading(Combine(item, group, context), item is not null);
    }

    /// <summary>
    /// The Group rule: the group fills in only what the item's date lacks and never overrides a complete one.
    /// An item without any date takes the group's date (the 1st of its month when it is a month).
    /// </summary>
    private static DateTimeOffset? Combine(DateParts? item, DateParts? group, DateParsingContext context)
    {
        var zone = context.TimeZone ?? TimeZoneInfo.Utc;

        if (item is not { } parts)
        {
            return group switch
            {
                { HasDate: true } date => Build(date, zone),
                { Year: { } year, Month: { } month } => Build(new DateParts(year, month, 1), zone),
                _ => null,
            };
        }

        if (parts.HasDate)
        {
            return Build(parts, zone);
        }

        int? y = parts.Year, m = parts.Month, d = parts.Day;
        if (y is null && m is null && d is null)
        {
            // Only a time: the group must give the whole day.
            if (group is not { HasDate: true } day)
            {
                return null;
            }

            (y, m, d) = (day.Year, day.Month, day.Day);
        }
        else
        {
            if (m is null)
            {
                m = group?.Month;
            }

            y ??= group?.Year;
            d ??= 1; // a month without a day: its 1st
        }

        if (m is null || d is null)
        {
            return null;
        }

        y ??= NearestYear(m.Value, d.Value, LocalFetchTime(context, zone).Date);
        return y is null ? null : Build(new DateParts(y, m, d, parts.Time, parts.Offset), zone);
    }

    /// <summary>
    /// A day and month shown without a year, and no group to give one: the year that puts the date nearest
    /// the fetch. Listings of past news and of coming events both read right this way.
    /// </summary>
    private static int? NearestYear(int month, int day, DateTime today)
    {
        int? best = null;
        var bestDistance = TimeSpan.MaxValue;
        for (var year = today.Year - 1; year <= today.Year + 1; year++)
        {
            if (!IsValidDate(year, month, day))
            {
                continue;
            }

            var distance = (new DateTime(year, month, day) - today).Duration();
            if (distance < bestDistance)
            {
                (best, bestDistance) = (year, distance);
            }
        }

        return best;
    }

    private static DateTimeOffset? Build(DateParts parts, TimeZoneInfo zone)
    {
        if (parts is not { Year: { } year, Month: { } month, Day: { } day } || !IsValidDate(year, month, day))
        {
            return null;
        }

        var local = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified) + (parts.Time ?? TimeSpan.Zero);
        try
        {
            // For a wall time, the zone's offset on that day (daylight saving included); in a gap or an
            // overlap TimeZoneInfo answers with the standard offset.
            return new DateTimeOffset(local, parts.Offset ?? zone.GetUtcOffset(local));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null; // the instant falls outside year 1–9999 in UTC
        }
    }

    private static DateParts? ReadText(string? text, DateParsingContext context)
    {
        var clean = TextCleaner.Clean(text);
        if (clean.Length == 0)
        {
            return null;
        }

        if (clean.Length > MaxTextLength)
        {
            clean = clean[..MaxTextLength];
        }

        return ReadIso(clean) ?? ReadEpoch(clean) ?? ReadRfc822(clean) ?? ReadCjk(clean) ?? ReadCustom(clean, context)
            ?? ReadWritten(DateVocabulary.Fold(clean), context);
    }

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

    /// <summary>
    /// The source's formats. A format without a year (or month) would make .NET fill in the current one from
    /// the clock, so a placeholder is parsed instead and the part is left for the group to give.
    /// </summary>
    private static DateParts? ReadCustom(string text, DateParsingContext context)
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

    private static DateTimeOffset LocalFetchTime(DateParsingContext context, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(context.FetchedAt, zone);

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

    private static int Number(Match match, string group) =>
        int.Parse(match.Groups[group].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    private static bool IsValidDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>What a text says about a date; any part may be missing. An offset qualifies the time.</summary>
    private readonly record struct DateParts(int? Year, int? Month, int? Day, TimeSpan? Time = null, TimeSpan? Offset = null)
    {
        public bool HasDate => Year is not null && Month is not null && Day is not null;

        public bool IsValid => HasDate && IsValidDate(Year!.Value, Month!.Value, Day!.Value);
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

/// <summary>A date as read: the value (null when none), and whether the item's own text was recognised.</summary>
internal readonly record struct DateReading(DateTimeOffset? Value, bool TextRecognised);
