using System.Globalization;
using System.Text.RegularExpressions;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Suggestion;

/// <summary>The date conventions read from a column of date strings: cultures in order, formats, and a short description.</summary>
internal sealed record DateConventions(IReadOnlyList<string> Cultures, IReadOnlyList<string> Formats, string Shape, int Dated);

/// <summary>
/// Infers <c>Cultures</c> and <c>DateFormats</c> from all the date strings of a column together, never one at a time:
/// the page's language first, more cultures only for strings it leaves unread (a French page with one English date);
/// day before month or month before day from any number above 12, else from which order keeps the list in date order,
/// else the language's own order; a .NET format when one fits most strings (written down so the maintainer can read it,
/// and so numeric dates cannot be read the other way), and one for each string the built-in forms cannot read.
/// </summary>
internal static partial class DateInference
{
    /// <summary>Cultures tried beside the page's own, for pages that mix languages or declare none.</summary>
    public static readonly string[] Common = ["en-GB", "en-US", "fr-FR", "es-ES", "de-DE", "it-IT", "pt-PT", "pt-BR", "nl-NL"];

    /// <summary>The culture a bare language tag means: day-first English unless the page shows otherwise.</summary>
    private static readonly Dictionary<string, string> ByLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = "en-GB", ["fr"] = "fr-FR", ["es"] = "es-ES", ["de"] = "de-DE", ["it"] = "it-IT", ["pt"] = "pt-PT",
        ["nl"] = "nl-NL", ["ca"] = "ca-ES", ["sv"] = "sv-SE", ["da"] = "da-DK", ["nb"] = "nb-NO", ["pl"] = "pl-PL",
    };

    // Culture-neutral .NET formats of the dates listings show, each tried with every culture chosen; two-digit days
    // before one-digit ones, so that "07 October 2021" reads as the maintainer's "dd MMMM yyyy".
    private static readonly string[] Templates =
    [
        "dd MMMM yyyy", "d MMMM yyyy", "dd MMM yyyy", "d MMM yyyy", "MMMM dd, yyyy", "MMMM d, yyyy", "MMM dd, yyyy", "MMM d, yyyy",
        "dd MMM yy", "d MMM yy", "dd. MMMM yyyy", "d. MMMM yyyy", "dd 'de' MMMM 'de' yyyy", "d 'de' MMMM 'de' yyyy",
        "dddd d MMMM yyyy", "dddd, MMMM d, yyyy", "dddd, d MMMM yyyy", "ddd, d MMM yyyy", "ddd d MMM yyyy",
        "dd/MM/yyyy", "d/M/yyyy", "MM/dd/yyyy", "M/d/yyyy", "dd.MM.yyyy", "d.M.yyyy", "dd-MM-yyyy", "yyyy/MM/dd",
        "dd/MM/yy", "MM/dd/yy", "dd.MM.yy", "d MMMM yyyy HH:mm", "dd/MM/yyyy HH:mm", "dd/MM/yyyy - HH:mm", "MM/dd/yyyy - HH:mm",
        "MMMM d, yyyy h:mm tt", "MMMM yyyy",
    ];

    [GeneratedRegex(@"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}|^\s*[0-9]{10}(?:[0-9]{3})?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex MachinePattern();

    [GeneratedRegex(@"(?<![0-9])(?<a>[0-9]{1,2})[./-](?<b>[0-9]{1,2})[./-](?:[0-9]{4}|[0-9]{2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex NumericPattern();

    /// <summary>The cultures the page declares: &lt;html lang&gt; first, then other lang attributes inside the items.</summary>
    public static List<string> DeclaredCultures(IEnumerable<string?> languageTags)
    {
        var cultures = new List<string>();
        foreach (var tag in languageTags)
        {
            if (string.IsNullOrWhiteSpace(tag)) continue;
            var name = tag.Trim().Replace('_', '-');
            var culture = name.Contains('-') && Known(name) ? CultureInfo.GetCultureInfo(name).Name
                : ByLanguage.GetValueOrDefault(name.Split('-')[0]);
            if (culture is not null && !cultures.Contains(culture, StringComparer.OrdinalIgnoreCase)) cultures.Add(culture);
        }
        return cultures;
    }

    /// <summary>Whether a string is a machine date (ISO 8601, a Unix time), which reads the same in any culture.</summary>
    public static bool IsMachineDate(string text) => MachinePattern().IsMatch(text);

    /// <summary>
    /// The conventions that read the most of <paramref name="values"/> (raw date strings, null where an item has none),
    /// each completed from its item's group heading when it has one.
    /// </summary>
    public static DateConventions Infer(IReadOnlyList<string?> values, IReadOnlyList<string?> groups, IReadOnlyList<string> declared, DateTimeOffset fetchedAt)
    {
        var texts = values.Select(v => v is null ? null : TextCleaner.Clean(v)).ToList();
        var written = texts.Where(t => !string.IsNullOrEmpty(t) && !IsMachineDate(t)).Select(t => t!).ToList();
        if (written.Count == 0)
            return new([], [], "ISO 8601", Count(texts, groups, [], [], fetchedAt));

        // Cultures: the page's language, then whichever adds the most strings read.
        var pool = declared.Concat(Common).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var chosen = new List<string> { declared.Count > 0 ? declared[0] : SourcesDefault };
        var best = Count(texts, groups, chosen, [], fetchedAt);
        while (true)
        {
            var gains = pool.Where(c => !chosen.Contains(c, StringComparer.OrdinalIgnoreCase))
                .Select(c => (Culture: c, Dated: Count(texts, groups, [.. chosen, c], [], fetchedAt)))
                .Where(g => g.Dated > best)
                .OrderByDescending(g => g.Dated).ThenBy(g => pool.IndexOf(g.Culture))
                .FirstOrDefault();
            if (gains.Culture is null) break;
            chosen.Add(gains.Culture);
            best = gains.Dated;
        }

        chosen = SettleDayOrder(chosen, written, texts, groups, fetchedAt);

        // A format that fits most written strings is written down; then one for each string nothing else reads.
        var formats = new List<string>();
        var cultures = chosen.Select(c => CultureInfo.GetCultureInfo(c)).ToList();
        var fitting = Templates.Where(t => OrderAgrees(t, cultures))
            .Select(t => (Template: t, Fits: written.Count(w => Fits(w, t, cultures))))
            .Where(f => f.Fits > 0)
            .OrderByDescending(f => f.Fits).ThenBy(f => Array.IndexOf(Templates, f.Template))
            .FirstOrDefault();
        if (fitting.Template is not null && fitting.Fits * 2 >= written.Count) formats.Add(fitting.Template);

        var dated = Count(texts, groups, chosen, formats, fetchedAt);
        foreach (var text in written)
        {
            // Read, and with its own year (not the one nearest the fetch): nothing to add.
            if (Reads(text, null, chosen, formats, fetchedAt) && HasOwnYear(text, chosen, formats, fetchedAt)) continue;
            // A format in the cultures chosen; else in another culture, which then joins them ("Sep" is en-US's, en-GB writes "Sept").
            var (extra, culture) = Templates.Where(t => OrderAgrees(t, cultures) && Fits(text, t, cultures)).Select(t => (t, (string?)null)).FirstOrDefault();
            if (extra is null)
                (extra, culture) = pool.Where(c => !chosen.Contains(c, StringComparer.OrdinalIgnoreCase))
                    .SelectMany(c => Templates.Where(t => Fits(text, t, [CultureInfo.GetCultureInfo(c)]) && OrderAgrees(t, [CultureInfo.GetCultureInfo(c)])).Select(t => (t, (string?)c)))
                    .FirstOrDefault();
            if (extra is null || formats.Contains(extra)) continue;
            List<string> withCulture = culture is null ? chosen : [.. chosen, culture];
            var more = Count(texts, groups, withCulture, [.. formats, extra], fetchedAt);
            if (more > dated || more == dated && !HasOwnYear(text, chosen, formats, fetchedAt))
            {
                formats.Add(extra);
                chosen = withCulture;
                cultures = chosen.Select(c => CultureInfo.GetCultureInfo(c)).ToList();
                dated = more;
            }
        }

        var shape = formats.Count > 0 ? formats[0] : "written dates";
        return new(chosen, formats, shape, dated);
    }

    private const string SourcesDefault = Sources.SourceDefinition.DefaultCulture;

    /// <summary>
    /// Numeric dates read one way in en-GB and the other in en-US. A day above 12 decides; without one, the order that keeps
    /// the list newest first (or oldest first) the most; without that, the language's own order.
    /// </summary>
    private static List<string> SettleDayOrder(List<string> chosen, List<string> written, List<string?> texts, IReadOnlyList<string?> groups, DateTimeOffset fetchedAt)
    {
        var english = chosen.FindIndex(c => c.StartsWith("en-", StringComparison.OrdinalIgnoreCase));
        if (english < 0) return chosen;
        var numeric = written.SelectMany(w => NumericPattern().Matches(w)).ToList();
        if (numeric.Count == 0) return chosen;

        var dayFirst = numeric.Any(m => int.Parse(m.Groups["a"].Value, CultureInfo.InvariantCulture) > 12);
        var monthFirst = numeric.Any(m => int.Parse(m.Groups["b"].Value, CultureInfo.InvariantCulture) > 12);
        string? order = (dayFirst, monthFirst) switch
        {
            (true, false) => "en-GB",
            (false, true) => "en-US",
            _ => null,
        };
        if (order is null)
        {
            var gb = Sortedness(texts, groups, chosen.Select((c, i) => i == english ? "en-GB" : c).ToList(), fetchedAt);
            var us = Sortedness(texts, groups, chosen.Select((c, i) => i == english ? "en-US" : c).ToList(), fetchedAt);
            order = us > gb ? "en-US" : gb > us ? "en-GB" : chosen[english];
        }
        var settled = chosen.ToList();
        settled[english] = order;
        return settled.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>How many neighbouring dates are in order, either way: listings sort by date.</summary>
    private static int Sortedness(List<string?> texts, IReadOnlyList<string?> groups, List<string> cultures, DateTimeOffset fetchedAt)
    {
        var context = Context(cultures, [], fetchedAt);
        var dates = texts.Select((t, i) => DateParser.Parse(t, context with { Group = groups[i] })).OfType<DateTimeOffset>().ToList();
        int down = 0, up = 0;
        for (var i = 1; i < dates.Count; i++)
        {
            if (dates[i] <= dates[i - 1]) down++;
            if (dates[i] >= dates[i - 1]) up++;
        }
        return Math.Max(down, up);
    }

    /// <summary>Whether a text's date stays put when the fetch moves: its year is written, not the one nearest the fetch.</summary>
    private static bool HasOwnYear(string text, IReadOnlyList<string> cultures, IReadOnlyList<string> formats, DateTimeOffset fetchedAt)
    {
        var now = DateParser.Parse(text, Context(cultures, formats, fetchedAt));
        var later = DateParser.Parse(text, Context(cultures, formats, fetchedAt.AddYears(3)));
        return now is not null && now == later;
    }

    /// <summary>How many items get a date with these conventions (their group completing a partial one).</summary>
    public static int Count(IReadOnlyList<string?> texts, IReadOnlyList<string?> groups, IReadOnlyList<string> cultures, IReadOnlyList<string> formats, DateTimeOffset fetchedAt)
    {
        var context = Context(cultures, formats, fetchedAt);
        var count = 0;
        for (var i = 0; i < texts.Count; i++)
            if (DateParser.Parse(texts[i], context with { Group = groups[i] }) is not null) count++;
        return count;
    }

    /// <summary>Whether the text itself (not its group) is read as a date or a part of one.</summary>
    public static bool Reads(string? text, string? group, IReadOnlyList<string> cultures, IReadOnlyList<string> formats, DateTimeOffset fetchedAt) =>
        DateParser.Read(text, Context(cultures, formats, fetchedAt) with { Group = group }).TextRecognised;

    public static DateParsingContext Context(IReadOnlyList<string> cultures, IReadOnlyList<string> formats, DateTimeOffset fetchedAt) => new()
    {
        Cultures = cultures.Count == 0 ? [DateParsingContext.DefaultCulture] : cultures.Select(c => CultureInfo.GetCultureInfo(c)).ToList(),
        DateFormats = formats,
        FetchedAt = fetchedAt,
    };

    private static bool Fits(string text, string template, IReadOnlyList<CultureInfo> cultures) =>
        cultures.Any(c => DateTime.TryParseExact(text, template, c, DateTimeStyles.AllowWhiteSpaces, out _));

    /// <summary>A numeric template must read day and month in the order of the cultures chosen.</summary>
    private static bool OrderAgrees(string template, IReadOnlyList<CultureInfo> cultures)
    {
        if (template.Contains("MMM", StringComparison.Ordinal) || !template.Contains('d') || template.StartsWith('y')) return true;
        var dayFirst = template.IndexOf('d') < template.IndexOf('M');
        return cultures.Any(c =>
        {
            var pattern = c.DateTimeFormat.ShortDatePattern;
            return (pattern.IndexOf('d') < pattern.IndexOf('M')) == dayFirst || pattern.StartsWith('y');
        });
    }

    private static bool Known(string name)
    {
        try
        {
            CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return true;
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
