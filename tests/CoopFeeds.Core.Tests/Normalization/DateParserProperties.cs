using System.Globalization;
using CoopFeeds.Core.Normalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CoopFeeds.Core.Tests.Normalization;

/// <summary>A date text and the cultures of the source that reads it, among cultures with other scripts and calendars.</summary>
public sealed record DateCase(string Text, string[] Cultures, string? Group, string Format);

public static class DateCases
{
    private static readonly string[] CultureNames =
        ["en-GB", "en-US", "fr-FR", "es-ES", "de-DE", "ja-JP", "zh-CN", "ko-KR", "ar-SA", "th-TH", "fa-IR", "he-IL", "ru-RU", "el-GR", "tr-TR", "hi-IN", "en"];

    private static readonly string[] Pieces =
    [
        "7", "07", "31", "1er", "1st", "28–30", "-", "–", "/", ".", ",", " ", "de", "of", "au", "al", "to", "le", "Thu", "jeudi", "jueves",
        "October", "octobre", "octubre", "Okt", "октября", "10月", "年", "日", "2021", "21", "0001", "9999", "10:30", "3pm", "18h", "CEST",
        "UTC+14:00", "GMT-12", "ago", "days", "hace", "il y a", "yesterday", "hier", "ayer", "1633600200", "2021-10-07T10:00:00+02:00",
        "Mon, 07 Oct 2021 10:00:00 GMT", "\u0d6d", "\u0663", "\uFFFE", "\u0001", "\u00A0",
    ];

    public static Arbitrary<DateCase> Cases() =>
        (from parts in Gen.Elements(Pieces).ListOf()
         from cultures in Gen.Elements(CultureNames).NonEmptyListOf()
         from heading in Gen.OneOf(Gen.Constant((string?)null), Gen.Elements(Pieces).ListOf().Select(g => (string?)string.Concat(g)))
         from format in Gen.Elements("d MMMM yyyy", "dd/MM/yy", "yyyy年M月d日", "MMMM", "%", "'")
         select new DateCase(string.Concat(parts), [.. cultures.Distinct()], heading, format)).ToArbitrary();
}

/// <summary>A date text of words only, no digit: month and weekday names, relative dates, and words around them.</summary>
public sealed record DateInWords(string Text);

public static class DatesInWords
{
    private static readonly string[] Words =
    [
        "October", "octobre", "octubre", "Oct", "Sept", "mayo", "Février", "Thu", "jeudi", "jueves",
        "today", "aujourd’hui", "hoy", "yesterday", "hier", "ayer", "avant-hier", "anteayer", "just now", "a l'instant",
        "a year ago", "an hour ago", "one week ago", "a month ago", "il y a un an", "il y a une semaine", "hace un año", "hace una semana",
        "ago", "il y a", "hace", "de", "of", "le", "at", "Published", "Updated", "|", ",", ".", "-", "\u00A0", "\u00AD",
    ];

    public static Arbitrary<DateInWords> Texts() =>
        Gen.Elements(Words).ListOf().Select(words => new DateInWords(string.Join(' ', words))).ToArbitrary();
}

/// <summary>
/// Whatever the text, the group, the cultures or the source's formats, reading a date never throws, and what it reads
/// holds together: see <see cref="ReadsSoundly"/>.
/// </summary>
[Properties(Arbitrary = [typeof(MessyStrings), typeof(DateCases), typeof(DatesInWords)], MaxTest = 500)]
public sealed class DateParserProperties
{
    private static readonly DateTimeOffset FetchedAt = new(2021, 10, 15, 12, 0, 0, TimeSpan.Zero);

    private static DateParsingContext Context(string? group = null) => new() { FetchedAt = FetchedAt, Group = group };

    /// <summary>
    /// Reading is pure; a date comes from the text or from the group, so a text not recognised and no group give none;
    /// and a date read survives being written in ISO 8601 and read again: the same instant, with the same offset.
    /// </summary>
    private static bool ReadsSoundly(string? text, DateParsingContext context)
    {
        var reading = DateParser.Read(text, context);
        if (DateParser.Read(text, context) != reading)
        {
            return false;
        }

        if (reading.Value is not { } date)
        {
            return true;
        }

        if (!reading.TextRecognised && string.IsNullOrWhiteSpace(context.Group))
        {
            return false;
        }

        var iso = date.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
        return DateParser.Parse(iso, context) is { } again && again.EqualsExact(date);
    }

    [Property]
    public bool AnyTextReadsSoundlyAloneOrAsItsOwnGroup(string text) =>
        ReadsSoundly(text, Context()) && ReadsSoundly(text, Context(group: text));

    [Property]
    public bool WordsAloneGiveNoDateOrOneWithinAYearOfTheFetch(DateInWords text)
    {
        // Without a digit, only words can give a date: "yesterday", "a year ago", "October" (the one nearest the fetch).
        var context = Context(group: text.Text) with { Cultures = [.. new[] { "en-GB", "fr-FR", "es-ES" }.Select(CultureInfo.GetCultureInfo)] };
        return ReadsSoundly(text.Text, context)
            && (DateParser.Parse(text.Text, context) is not { } date || (date - FetchedAt).Duration() <= TimeSpan.FromDays(367));
    }

    [Property]
    public bool AnySourceFormatLeavesAReadableTextRecognised(string format)
    {
        // The built-in forms recognise this text; a source's format is tried first and may read it otherwise, never leave it unrecognised.
        var context = Context() with { DateFormats = [format] };
        return DateParser.Read("07.10.2021 10:30 +02:00", context).TextRecognised
            && ReadsSoundly("07.10.2021 10:30 +02:00", context)
            && ReadsSoundly(format, context);
    }

    [Property]
    public bool AnyTextReadsSoundlyInAnyCulture(DateCase date)
    {
        var context = new DateParsingContext
        {
            Cultures = [.. date.Cultures.Select(CultureInfo.GetCultureInfo)],
            FetchedAt = new DateTimeOffset(2022, 3, 1, 10, 0, 0, TimeSpan.Zero),
            Group = date.Group,
            DateFormats = [date.Format],
        };
        return ReadsSoundly(date.Text, context);
    }
}
