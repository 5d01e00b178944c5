using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Extraction;

/// <summary>
/// What one page of a listing yielded: raw items in document order, the next page's raw link, what matched, and the
/// base the page's links resolve against (its address, or its &lt;base href&gt;).
/// </summary>
public sealed record ListingPage(IReadOnlyList<RawItem> Items, string? NextPage, SelectorMatches Matches, Uri BaseUri);

/// <summary>How many items each selector matched in, so preview and drift detection can say which one stopped matching.</summary>
public sealed record SelectorMatches
{
    public int Items { get; init; }
    public int Title { get; init; }
    public int Link { get; init; }
    public int Date { get; init; }
    public int Summary { get; init; }
    public int Category { get; init; }
    public int GroupHeadings { get; init; }

    /// <summary>Items found inside another item: the Item selector also matches a wrapper or a "related posts" box.</summary>
    public int NestedItems { get; init; }
    public bool NextPage { get; init; }
}

/// <summary>
/// Applies a source's selectors to a parsed listing and returns raw strings. Pure: it reads the DOM and nothing else.
/// </summary>
public static partial class ListingExtractor
{
    public static ListingPage Extract(IDocument document, ListingSelectors selectors, int page = 1)
    {
        var baseUri = BaseUriOf(document);
        var itemElements = document.ChildNodes.QuerySelectorAll(selectors.Item.Css!).ToList();
        var groupOf = selectors.Group is null
            ? null
            : GroupHeadingsBefore(document, itemElements, selectors.Group);

        var items = new List<RawItem>(itemElements.Count);
        var itemSet = itemElements.ToHashSet();
        int title = 0, link = 0, date = 0, summary = 0, category = 0, nested = 0;
        foreach (var element in itemElements)
        {
            // A heading matched by both selectors is context, never an item.
            if (groupOf is not null && groupOf.Headings.Contains(element)) continue;

            // Kept (a wrapper matched by mistake would otherwise hide every real item), but worth telling the maintainer.
            var insideItem = element.Ancestors<IElement>().Any(itemSet.Contains);

            var titleElement = FindElement(element, selectors.Title);
            var raw = new RawItem
            {
                Title = titleElement is null ? null : ReadText(titleElement, selectors.Title.Attribute),
                Link = ReadLink(element, titleElement, selectors.Link),
                Date = ReadDate(element, selectors.Date),
                SummaryHtml = ReadSummary(element, selectors.Summary),
                Category = selectors.Category is null ? null : Read(element, selectors.Category),
                Group = groupOf?.ByItem.GetValueOrDefault(element),
                BaseUri = baseUri,
                Page = page,
                InsideItem = insideItem,
            };
            nested += insideItem ? 1 : 0;
            title += raw.Title is not null ? 1 : 0;
            link += raw.Link is not null ? 1 : 0;
            date += raw.Date is not null ? 1 : 0;
            summary += raw.SummaryHtml is not null ? 1 : 0;
            category += raw.Category is not null ? 1 : 0;
            items.Add(raw);
        }

        var nextPage = selectors.NextPage is null ? null : ReadNextPage(document, selectors.NextPage);
        var matches = new SelectorMatches
        {
            Items = items.Count,
            Title = title,
            Link = link,
            Date = date,
            Summary = summary,
            Category = category,
            GroupHeadings = groupOf?.Headings.Count ?? 0,
            NestedItems = nested,
            NextPage = nextPage is not null,
        };
        return new ListingPage(items, nextPage, matches, baseUri);
    }

    /// <summary>The names of the selector fields, as the sources file writes them.</summary>
    public static readonly IReadOnlyList<string> Fields = ["Item", "Title", "Link", "Date", "Summary", "Category", "Group", "NextPage"];

    /// <summary>
    /// The elements one field's selector matches, found as <see cref="Extract"/> finds them (the items, then the first match
    /// inside each item; the group headings; the next-page link), for showing a maintainer what a selector picks. Empty for a
    /// field that has no selector or an unknown field name.
    /// </summary>
    public static IReadOnlyList<IElement> ElementsMatchedBy(IDocument document, ListingSelectors selectors, string field)
    {
        var items = document.ChildNodes.QuerySelectorAll(selectors.Item.Css!).ToList();
        var groups = selectors.Group is null ? null : GroupHeadingsBefore(document, items, selectors.Group);
        if (groups is not null) items.RemoveAll(groups.Headings.Contains);
        var fieldSelector = field switch
        {
            "Title" => selectors.Title,
            "Link" => selectors.Link,
            "Date" => selectors.Date,
            "Summary" => selectors.Summary,
            "Category" => selectors.Category,
            _ => null,
        };
        return field switch
        {
            "Item" => items,
            "Group" => groups is null ? [] : [.. document.All.Where(groups.Headings.Contains)],
            "NextPage" => selectors.NextPage?.Css is { } next && document.ChildNodes.QuerySelector(next) is { } link ? [link] : [],
            _ when fieldSelector is not null => [.. items.Select(item => FindElement(item, fieldSelector)).OfType<IElement>().Distinct()],
            _ => [],
        };
    }

    /// <summary>The base links resolve against: &lt;base href&gt; when present (the DOM already applies it), else the address.</summary>
    private static Uri BaseUriOf(IDocument document)
    {
        var text = document.BaseUri;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : new Uri(document.Url);
    }

    /// <summary>The first element under the item the selector matches, with the item as :scope (":scope > h2" is a child of the item).</summary>
    private static IElement? FindElement(IElement item, FieldSelector selector) =>
        selector.Css is null ? item : selector.Css.MatchAny(item.Descendants<IElement>(), item);

    private static string? Read(IElement item, FieldSelector selector)
    {
        var element = FindElement(item, selector);
        return element is null ? null : ReadText(element, selector.Attribute);
    }

    private static string? ReadText(IElement element, string? attribute) =>
        attribute is null ? VisibleText(element) : element.GetAttribute(attribute);

    /// <summary>Elements whose content is never text a reader sees (noscript: readers run scripts, so they never see it).</summary>
    private static readonly HashSet<string> HiddenContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "noscript", "head", "title",
    };

    /// <summary>Elements at whose edges a browser starts a new line, so that their text never runs into the next.</summary>
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "address", "article", "aside", "blockquote", "br", "dd", "details", "dialog", "div", "dl", "dt", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    };

    /// <summary>
    /// The element's text as a reader sees it, still raw (normalization collapses the whitespace): script and style
    /// content left out, a space where a line break or a block boundary separates words ("Platform co-ops:&lt;br&gt;who
    /// owns it?"). An element with no text at all — a card header that is only a logo — reads as its accessible name:
    /// its aria-label, else the alt text of its images, else its title attribute.
    /// </summary>
    internal static string VisibleText(IElement element)
    {
        var text = new System.Text.StringBuilder();
        AppendVisibleText(element, text);
        var visible = text.ToString();
        if (!string.IsNullOrWhiteSpace(visible)) return visible;

        if (element.GetAttribute("aria-label") is { } label && !string.IsNullOrWhiteSpace(label)) return label;
        var images = element.LocalName == "img" ? [element] : element.QuerySelectorAll("img[alt]").ToList();
        // Distinct: a lazy-loaded image and its <noscript> copy carry the same alt.
        var alts = images.Select(i => (i.GetAttribute("alt") ?? "").Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal);
        var alt = string.Join(" ", alts);
        if (alt.Length > 0) return alt;
        return element.GetAttribute("title") is { } title && !string.IsNullOrWhiteSpace(title) ? title : visible;
    }

    private static void AppendVisibleText(INode node, System.Text.StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText textNode:
                    text.Append(textNode.Data);
                    break;
                case IElement element when !HiddenContent.Contains(element.LocalName):
                    var block = BlockElements.Contains(element.LocalName);
                    if (block) text.Append(' ');
                    AppendVisibleText(element, text);
                    if (block) text.Append(' ');
                    break;
            }
        }
    }

    /// <summary>
    /// Default: the first a[href] in the title (or the title itself, or the link around it), else in the item (or the
    /// item itself). A link that leads to no page — "#", javascript:, data:, mailto: — is passed over for a later one
    /// ("Read more"), and returned only when the item has no other, so that normalization can say why it was dropped.
    /// </summary>
    private static string? ReadLink(IElement item, IElement? title, FieldSelector? selector)
    {
        if (selector is not null)
        {
            var element = FindElement(item, selector);
            if (element is null) return null;
            if (selector.Attribute is not null) return element.GetAttribute(selector.Attribute);
            return HrefOf(element) ?? element.QuerySelector("a[href]")?.GetAttribute("href");
        }

        string? first = null;
        foreach (var href in CandidateLinks(item, title))
        {
            if (LeadsToAPage(href)) return href;
            first ??= href;
        }
        return first;
    }

    private static IEnumerable<string> CandidateLinks(IElement item, IElement? title)
    {
        if (title is not null)
        {
            if (HrefOf(title) is { } own) yield return own;
            foreach (var anchor in title.QuerySelectorAll("a[href]")) yield return anchor.GetAttribute("href")!;
            if (title.Closest("a[href]") is { } around && around != title && item.Contains(around)) yield return around.GetAttribute("href")!;
        }
        if (HrefOf(item) is { } itself) yield return itself;
        foreach (var anchor in item.QuerySelectorAll("a[href]")) yield return anchor.GetAttribute("href")!;
    }

    private static bool LeadsToAPage(string href)
    {
        var trimmed = href.Trim();
        return trimmed.Length > 0 && trimmed[0] != '#' && !Normalization.LinkResolver.HasRejectedScheme(trimmed);
    }

    private static string? HrefOf(IElement element) =>
        element is IHtmlAnchorElement && element.HasAttribute("href") ? element.GetAttribute("href") : null;

    /// <summary>
    /// A date selector with an attribute reads it; a selector on a &lt;time datetime&gt;, or on an element holding one,
    /// prefers the machine-readable value; without a selector, the first time[datetime] in the item is used.
    /// </summary>
    internal static string? ReadDate(IElement item, FieldSelector? selector)
    {
        if (selector is null)
            return item.QuerySelector("time[datetime]")?.GetAttribute("datetime");

        var element = FindElement(item, selector);
        if (element is null) return null;
        if (selector.Attribute is not null) return element.GetAttribute(selector.Attribute);

        // The machine-readable date wins over the words around it, also when the selector names its wrapper
        // (".byline" around "<time datetime>"): the words usually drop the year, the time and the offset.
        return MachineDate(element)
            ?? element.QuerySelectorAll("time[datetime], [content], abbr[title]").Select(MachineDate).FirstOrDefault(d => d is not null)
            ?? VisibleText(element);
    }

    /// <summary>
    /// A date written for machines: &lt;time datetime&gt;, an hAtom &lt;abbr class="published" title&gt; or an RDFa /
    /// microdata content attribute (Drupal's &lt;span property="dc:date" content&gt;) — the last two only when they
    /// hold an ISO 8601 date, since title and content attributes carry other things too.
    /// </summary>
    private static string? MachineDate(IElement element)
    {
        if (element.LocalName == "time")
            return element.GetAttribute("datetime") is { } datetime && !string.IsNullOrWhiteSpace(datetime) ? datetime : null;
        var value = element.GetAttribute("content") ?? (element.LocalName == "abbr" ? element.GetAttribute("title") : null);
        return value is not null && IsoDateStart().IsMatch(value) ? value : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}")]
    private static partial System.Text.RegularExpressions.Regex IsoDateStart();

    private static string? ReadSummary(IElement item, FieldSelector? selector)
    {
        if (selector is null) return null;
        var element = FindElement(item, selector);
        if (element is null) return null;
        return selector.Attribute is null
            ? element.InnerHtml
            : System.Net.WebUtility.HtmlEncode(element.GetAttribute(selector.Attribute) ?? "");
    }

    private static string? ReadNextPage(IDocument document, FieldSelector selector)
    {
        var element = selector.Css is null ? null : document.ChildNodes.QuerySelector(selector.Css);
        if (element is null) return null;
        return selector.Attribute is not null
            ? element.GetAttribute(selector.Attribute)
            : HrefOf(element) ?? element.QuerySelector("a[href]")?.GetAttribute("href");
    }

    private sealed record GroupIndex(HashSet<IElement> Headings, Dictionary<IElement, string> ByItem);

    /// <summary>Walks the document once, in order, remembering the last heading seen before each item.</summary>
    private static GroupIndex GroupHeadingsBefore(IDocument document, List<IElement> items, FieldSelector group)
    {
        var headings = group.Css is null
            ? []
            : document.ChildNodes.QuerySelectorAll(group.Css).ToHashSet();
        var itemSet = items.ToHashSet();
        var byItem = new Dictionary<IElement, string>();
        string? current = null;
        foreach (var element in document.All)
        {
            if (headings.Contains(element))
            {
                // A "heading" inside an item belongs to that item, not to the ones after it.
                if (!element.Ancestors<IElement>().Any(itemSet.Contains))
                    current = ReadText(element, group.Attribute);
            }
            else if (current is not null && itemSet.Contains(element))
            {
                byItem[element] = current;
            }
        }
        return new GroupIndex(headings, byItem);
    }
}
