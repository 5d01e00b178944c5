using System.Globalization;
using AngleSharp.Dom;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Suggestion;

/// <summary>What every step needs to know about the page: its address, fetch time, declared languages and chrome.</summary>
internal sealed class FieldContext
{
    private readonly Dictionary<string, bool> _readsAsDate = new(StringComparer.Ordinal);
    private readonly DateParsingContext _broad;

    /// <summary>Words around dates that say nothing else: "Published on", "Publié le", "Publicado el", "Posted".</summary>
    private static readonly HashSet<string> DateFillers = new(StringComparer.Ordinal)
    {
        "published", "posted", "updated", "on", "at", "the", "of", "date", "le", "du", "publie", "mis", "a", "jour", "el", "de",
        "del", "publicado", "actualizado", "am", "pm", "h", "ago", "hace", "il", "y", "hier", "today", "yesterday", "hoy",
        "ayer", "aujourd", "hui", "st", "nd", "rd", "th", "er", "o", "to", "au", "al", "from", "until", "gmt", "utc",
        "cet", "cest", "bst", "edt", "est", "pst", "days", "day", "hours", "hour", "minutes", "weeks", "months", "years",
        "jours", "heures", "dias", "horas", "semanas", "meses", "le", "am", "um", "uhr", "veroffentlicht",
    };

    public FieldContext(IDocument document, Uri baseUri, DateTimeOffset fetchedAt, PageChrome chrome)
    {
        Document = document;
        BaseUri = baseUri;
        FetchedAt = fetchedAt;
        Chrome = chrome;
        var tags = new List<string?> { document.DocumentElement.GetAttribute("lang"), document.DocumentElement.GetAttribute("xml:lang") };
        tags.AddRange(document.QuerySelectorAll("meta[http-equiv=content-language i], meta[property='og:locale']").Select(m => m.GetAttribute("content")));
        tags.AddRange(chrome.Main.QuerySelectorAll("[lang]").Select(e => e.GetAttribute("lang")).Take(50));
        Declared = DateInference.DeclaredCultures(tags);
        AllCultures = Declared.Concat(DateInference.Common).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        _broad = DateInference.Context(AllCultures, [], fetchedAt);
        MonthAndDayNames = AllCultures.Select(c => CultureInfo.GetCultureInfo(c).DateTimeFormat)
            .SelectMany(f => f.MonthNames.Concat(f.AbbreviatedMonthNames).Concat(f.MonthGenitiveNames).Concat(f.DayNames).Concat(f.AbbreviatedDayNames))
            .Select(n => DateVocabulary.Fold(n.Trim().TrimEnd('.')))
            .Where(n => n.Length > 0)
            .Concat(DateFillers)
            .ToHashSet(StringComparer.Ordinal);
    }

    public IDocument Document { get; }
    public Uri BaseUri { get; }
    public DateTimeOffset FetchedAt { get; }
    public PageChrome Chrome { get; }

    /// <summary>The cultures the page declares (&lt;html lang&gt;, content-language, lang attributes in its content), in order.</summary>
    public IReadOnlyList<string> Declared { get; }

    /// <summary>The declared cultures and the common ones: enough to tell whether a text is a date in any of them.</summary>
    public IReadOnlyList<string> AllCultures { get; }

    /// <summary>Folded month and weekday names of <see cref="AllCultures"/>, with the words that surround dates.</summary>
    public IReadOnlySet<string> MonthAndDayNames { get; }

    /// <summary>Whether a text is (or holds) a date, or part of one, in any of <see cref="AllCultures"/>.</summary>
    public bool ReadsAsDate(string text)
    {
        if (!_readsAsDate.TryGetValue(text, out var reads))
            _readsAsDate[text] = reads = DateParser.Read(text, _broad).TextRecognised;
        return reads;
    }

    /// <summary>How many letters of a text are in words that are not month or weekday names nor the words around dates.</summary>
    public int LettersBesidesDates(string text) =>
        DateVocabulary.Fold(text).Split((char[])[' ', ',', '.', '·', '|', '/', '-', '–', ':', '(', ')', '\u00a0'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(char.IsLetter).ToArray()))
            .Where(w => w.Length > 0 && !MonthAndDayNames.Contains(w))
            .Sum(w => w.Length);

    /// <summary>A link as the item's identity would see it: absolute, without its fragment; null when it leads to no page.</summary>
    public string? Resolve(string? href)
    {
        if (string.IsNullOrWhiteSpace(href) || href.Trim().StartsWith('#')) return null;
        if (_resolved.TryGetValue(href, out var known)) return known;
        var uri = LinkResolver.Resolve(href, BaseUri);
        return _resolved[href] = uri is null ? null : new UriBuilder(uri) { Fragment = "" }.Uri.AbsoluteUri;
    }

    private readonly Dictionary<string, string?> _resolved = new(StringComparer.Ordinal);

    private readonly Dictionary<IElement, string> _texts = [];

    /// <summary>An element's text as a reader sees it, cleaned; worked out once per element of the page.</summary>
    public string TextOf(IElement element)
    {
        if (!_texts.TryGetValue(element, out var text))
            _texts[element] = text = TextCleaner.Clean(Extraction.ListingExtractor.VisibleText(element));
        return text;
    }
}
