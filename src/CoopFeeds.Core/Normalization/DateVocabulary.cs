using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Normalization;

/// <summary>
/// The month names and numeric day order of a list of cultures, and the patterns <see cref="DateParser"/>
/// finds written dates with. Built once per list of cultures and cached: culture data does not change while
/// the process runs.
/// </summary>
internal sealed class DateVocabulary
{
    private static readonly ConcurrentDictionary<string, DateVocabulary> Cache = new(StringComparer.Ordinal);

    // Pieces of the patterns, all over folded text (see Fold).
    // Ordinal suffixes: 1st 2nd 3rd 7th, 1er 1re 1ère 2e 2ème (French), 1º 1ª 1o (Spanish).
    private const string Ordinal = "(?:st|nd|rd|th|ere|er|re|eme|e|o|a|º|ª|°)";
    private const string Separator = @"[\s.,/-]*";
    private const string Of = @"(?:(?:de|del|of)\s+)?"; // "07 de octubre de 2021", "7th of October"
    private const string Day = @"(?<d>[0-3]?[0-9])";
    private const string Year = @"(?<y>[0-9]{4})(?![0-9])";
    private const string EndDay = @"(?<e>[0-3]?[0-9])";

    // Between the two ends of a range: "28–30", "28 - 30", "28 to 30", "du 28 au 30", "del 28 al 30", "de 28 a 30".
    private const string To = @"\s*(?:-|–|—|to|till|until|au|al|a)\s*";

    private DateVocabulary(IReadOnlyList<CultureInfo> cultures)
    {
        Months = BuildMonths(cultures);
        DayOrders = [.. cultures.Select(OrderOf).Distinct()];

        // Longest first, so that "septembre" is not read as "sept" + "embre".
        var names = string.Join('|', Months.Keys.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).Select(Regex.Escape));
        // Cultures whose month names are not words (ja-JP "10月") give no names: then no pattern may match an
        // empty name, it must match nothing ("(?!)").
        names = names.Length == 0 ? "(?!)" : names;
        var month = $@"(?<m>{names})(?!\p{{L}})";
        const RegexOptions options = RegexOptions.CultureInvariant;

        DayMonthYear = new Regex($@"(?<![0-9]){Day}{Ordinal}?{Separator}{Of}{month}{Separator}{Of}{Year}", options);
        MonthDayYear = new Regex($@"(?<!\p{{L}}){month}{Separator}{Day}{Ordinal}?(?![0-9]){Separator}{Year}", options);
        MonthYear = new Regex($@"(?<!\p{{L}}){month}{Separator}{Of}{Year}", options);
        DayMonth = new Regex($@"(?<![0-9]){Day}{Ordinal}?{Separator}{Of}{month}", options);
        MonthDay = new Regex($@"(?<!\p{{L}}){month}{Separator}{Day}{Ordinal}?(?![0-9\p{{L}}])", options);
        MonthAlone = new Regex($@"^{month}\.?$", options);

        // Ranges: the start is the date ("28–30 April 2022", "29 April – 1 May 2022", "April 28–30, 2022").
        var startMonth = $@"(?<m1>{names})(?!\p{{L}})\.?";
        var endMonth = $@"(?<m2>{names})(?!\p{{L}})\.?";
        RangeDayMonthYear = new Regex($@"(?<![0-9]){Day}{Ordinal}?(?:{Separator}{Of}{startMonth})?{To}{EndDay}{Ordinal}?{Separator}{Of}{month}{Separator}{Of}{Year}", options);
        RangeMonthDayYear = new Regex($@"(?<!\p{{L}}){month}{Separator}{Day}{Ordinal}?{To}(?:{endMonth}{Separator})?{EndDay}{Ordinal}?(?![0-9]){Separator}{Year}", options);

        var weekdays = string.Join('|', BuildWeekdays(cultures).OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).Select(Regex.Escape));
        weekdays = weekdays.Length == 0 ? "(?!)" : weekdays;
        var weekday = $@"(?:(?:{weekdays})(?!\p{{L}})\.?,?\s*)?";
        DayAlone = new Regex($@"^{weekday}{Day}{Ordinal}?(?:{To}{weekday}{EndDay}{Ordinal}?)?\.?$", options);
    }

    /// <summary>Folded month names (see <see cref="Fold"/>) and unambiguous prefixes of at least three letters, to month numbers.</summary>
    public IReadOnlyDictionary<string, int> Months { get; }

    /// <summary>The order of day, month and year in the short date pattern of each culture, in the cultures' order.</summary>
    public IReadOnlyList<NumericOrder> DayOrders { get; }

    public Regex DayMonthYear { get; }
    public Regex MonthDayYear { get; }
    public Regex MonthYear { get; }
    public Regex DayMonth { get; }
    public Regex MonthDay { get; }
    public Regex MonthAlone { get; }

    /// <summary>A range of days ending in a written date, the start day (and month) first: "28–30 April 2022", "du 29 avril au 1er mai 2022".</summary>
    public Regex RangeDayMonthYear { get; }

    /// <summary>A range of days in month-first order: "April 28–30, 2022", "December 28 – January 3, 2022".</summary>
    public Regex RangeMonthDayYear { get; }

    /// <summary>A whole text that is a day of the month, maybe after its weekday, maybe the start of a range: "07", "7th", "1er", "Thu 07", "jeudi 7", "28–30".</summary>
    public Regex DayAlone { get; }

    public static DateVocabulary For(IReadOnlyList<CultureInfo> cultures)
    {
        if (cultures.Count == 0)
        {
            cultures = [DateParsingContext.DefaultCulture];
        }

        return Cache.GetOrAdd(string.Join('|', cultures.Select(c => c.Name)), _ => new DateVocabulary(cultures));
    }

    /// <summary>
    /// Lower case without diacritics, typographic apostrophes made plain: "Février", "fevrier" and "FÉVRIER"
    /// all read "fevrier"; "août" reads "aout"; "aujourd’hui" reads "aujourd'hui".
    /// </summary>
    public static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            folded.Append(c is '\u2019' or '\u2018' or '\u02BC' or '`' ? '\'' : char.ToLowerInvariant(c));
        }

        return folded.ToString();
    }

    private static Dictionary<string, int> BuildMonths(IReadOnlyList<CultureInfo> cultures)
    {
        var exact = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        var prefixes = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);

        void Add(Dictionary<string, HashSet<int>> into, string name, int month)
        {
            if (!into.TryGetValue(name, out var months))
            {
                into[name] = months = [];
            }

            months.Add(month);
        }

        foreach (var format in cultures.Select(c => c.DateTimeFormat))
        {
            for (var i = 0; i < 12; i++)
            {
                var full = new[] { format.MonthNames[i], format.MonthGenitiveNames[i] }.Select(FoldName).Where(IsWord).ToList();
                var abbreviated = new[] { format.AbbreviatedMonthNames[i], format.AbbreviatedMonthGenitiveNames[i] }.Select(FoldName).Where(IsWord);

                foreach (var name in full.Concat(abbreviated))
                {
                    Add(exact, name, i + 1);
                }

                // "Sep" as well as the culture's "Sept", "janv" as well as "janv.": pages abbreviate as they like.
                foreach (var name in full)
                {
                    for (var length = 3; length < name.Length; length++)
                    {
                        Add(prefixes, name[..length], i + 1);
                    }
                }
            }
        }

        // A name that means two months in the cultures given ("jui" = juin or juillet) means neither.
        var months = exact.Where(e => e.Value.Count == 1).ToDictionary(e => e.Key, e => e.Value.Single(), StringComparer.Ordinal);
        foreach (var (prefix, candidates) in prefixes)
        {
            if (candidates.Count == 1 && !exact.ContainsKey(prefix))
            {
                months[prefix] = candidates.Single();
            }
        }

        return months;
    }

    /// <summary>Folded weekday names, abbreviations and prefixes of at least two letters ("thu", "thur", "thurs"): only skipped, never read.</summary>
    private static HashSet<string> BuildWeekdays(IReadOnlyList<CultureInfo> cultures)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var format in cultures.Select(c => c.DateTimeFormat))
        {
            foreach (var name in format.DayNames.Concat(format.AbbreviatedDayNames).Concat(format.ShortestDayNames).Select(FoldName).Where(IsWord))
            {
                for (var length = Math.Min(2, name.Length); length <= name.Length; length++)
                {
                    names.Add(name[..length]);
                }
            }
        }

        return names;
    }

    private static string FoldName(string name) => Fold(name.Trim().TrimEnd('.'));

    // Cultures whose month names are not words (ja-JP "10月") are read through numeric and ISO forms only.
    private static bool IsWord(string name) => name.Length > 0 && name.All(char.IsLetter);

    private static NumericOrder OrderOf(CultureInfo culture)
    {
        var pattern = culture.DateTimeFormat.ShortDatePattern;
        int day = pattern.IndexOf('d'), month = pattern.IndexOf('M'), year = pattern.IndexOf('y');
        if (year >= 0 && year < month && year < day)
        {
            return NumericOrder.YearMonthDay;
        }

        return day >= 0 && day < month ? NumericOrder.DayMonthYear : NumericOrder.MonthDayYear;
    }
}

/// <summary>How a culture orders the parts of an all-numeric date such as 07/10/2021.</summary>
internal enum NumericOrder
{
    DayMonthYear,
    MonthDayYear,
    YearMonthDay,
}
