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

        return ReadIso(clean) ?? ReadEpoch(clean) ?? ReadRfc822(clean) ?? ReadCjk(clean) ?? ReadSourceFormats(clean, context)
            ?? ReadWritten(DateVocabulary.Fold(clean), context);
    }

    private static DateTimeOffset LocalFetchTime(DateParsingContext context, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(context.FetchedAt, zone);

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
}

/// <summary>A date as read: the value (null when none), and whether the item's own text was recognised.</summary>
internal readonly record struct DateReading(DateTimeOffset? Value, bool TextRecognised);
