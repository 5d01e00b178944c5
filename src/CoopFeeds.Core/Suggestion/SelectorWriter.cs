using AngleSharp.Css.Parser;
using AngleSharp.Dom;

namespace CoopFeeds.Core.Suggestion;

/// <summary>A CSS selector and how hard it is to read: the writer picks the cheapest that selects the right nodes.</summary>
internal readonly record struct WrittenSelector(string Css, double Cost);

/// <summary>
/// Writes the selectors a person would: the shortest CSS that selects exactly the nodes wanted, built from tag names,
/// stable classes (<see cref="ClassNames"/>), ids without digits and a few stable attributes (rel, itemprop), joined by
/// descendant or child combinators. Never :nth-child or a position: those break when the page gains an item.
/// </summary>
internal static class SelectorWriter
{
    private static readonly CssSelectorParser Parser = new();

    /// <summary>
    /// What a bare tag costs in a selector: headings and time name a field on their own; a link, a cell or a paragraph
    /// less so (an item has several); a div or span names nothing.
    /// </summary>
    private static readonly Dictionary<string, double> TagCosts = new(StringComparer.Ordinal)
    {
        ["h1"] = 1.0, ["h2"] = 1.0, ["h3"] = 1.0, ["h4"] = 1.0, ["h5"] = 1.0, ["h6"] = 1.0, ["time"] = 1.0,
        ["article"] = 1.2, ["li"] = 1.4, ["tr"] = 1.4, ["td"] = 1.6, ["th"] = 1.6, ["dt"] = 1.4, ["dd"] = 1.4,
        ["a"] = 1.5, ["figcaption"] = 1.5, ["blockquote"] = 1.6, ["small"] = 1.6, ["em"] = 1.8, ["strong"] = 1.8,
        ["abbr"] = 1.6, ["address"] = 1.6, ["cite"] = 1.6, ["p"] = 1.8, ["figure"] = 1.8, ["img"] = 1.8,
        ["section"] = 1.8, ["header"] = 2.0, ["footer"] = 2.0, ["ul"] = 2.0, ["ol"] = 2.0, ["dl"] = 2.0,
        ["table"] = 1.6, ["tbody"] = 1.2, ["thead"] = 1.6, ["main"] = 1.2, ["caption"] = 1.6, ["summary"] = 1.6, ["details"] = 1.8,
    };

    /// <summary>Words of class names that say which field an element is.</summary>
    private static readonly HashSet<string> FieldWords = new(StringComparer.Ordinal)
    {
        "title", "headline", "heading", "name", "date", "time", "published", "summary", "excerpt", "teaser", "description",
        "desc", "intro", "lede", "abstract", "label", "category", "tag", "type", "kicker", "titre", "titulo", "fecha", "resume",
        "chapo", "entradilla", "rubrique", "etiqueta", "datum", "text", "body", "meta",
    };

    /// <summary>
    /// The selector of a set of items: it must select exactly <paramref name="members"/> in <paramref name="document"/>.
    /// Prefers the items' own tag and class (<c>article.listing-item</c>), then qualifies with their parent or an ancestor
    /// (<c>tbody tr</c>, <c>.view-content li.views-row</c>), and as a last resort excludes look-alike siblings
    /// (<c>ul.events &gt; li:not(.month)</c>). Null when nothing short does.
    /// </summary>
    public static string? ForItems(IDocument document, IReadOnlyList<IElement> members)
    {
        var wanted = members.ToHashSet();
        var own = CommonCompounds(members, forItems: true);
        var candidates = new List<WrittenSelector>(own);

        var parents = members.Select(m => m.ParentElement).ToList();
        if (parents.All(p => p is not null))
        {
            foreach (var parent in CommonCompounds(parents!, forItems: false))
                foreach (var item in own)
                {
                    candidates.Add(new($"{parent.Css} > {item.Css}", parent.Cost + item.Cost + 0.7));
                    candidates.Add(new($"{parent.Css} {item.Css}", parent.Cost + item.Cost + 0.6));
                }
        }

        var common = ItemGroupFinder.CommonAncestor(members);
        var ancestors = common is null ? [] : new[] { common }.Concat(common.Ancestors<IElement>()).TakeWhile(a => a.LocalName is not ("body" or "html")).Take(6).ToList();
        var parentForms = parents.All(p => p is not null) ? CommonCompounds(parents!, forItems: false).Take(3).ToList() : [];
        foreach (var ancestor in ancestors)
            foreach (var form in Compounds(ancestor, forItems: false).Where(f => f.Css != "div"))
                foreach (var item in own)
                {
                    candidates.Add(new($"{form.Css} {item.Css}", form.Cost + item.Cost + 0.8));
                    if (ancestor != common || !members.All(m => m.ParentElement == common))
                        foreach (var parent in parentForms)
                            candidates.Add(new($"{form.Css} {parent.Css} {item.Css}", form.Cost + parent.Cost + item.Cost + 1.4));
                }

        // The child path from a named ancestor, when nothing shorter tells the items apart: "main > ul > li".
        foreach (var ancestor in ancestors.Take(4))
        {
            var paths = members.Select(m => ChildPath(ancestor, m)).Distinct(StringComparer.Ordinal).ToList();
            if (paths is not [{ } path]) continue;
            foreach (var form in Compounds(ancestor, forItems: false).Where(f => f.Css != "div" && f.Css != "span").Take(3))
                // The path ends in the items' tag: their own form ("li.entry") goes in its place.
                foreach (var item in own.Where(o => o.Css.StartsWith(members[0].LocalName, StringComparison.Ordinal)).Take(2))
                    candidates.Add(new($"{form.Css} > {path}{item.Css[members[0].LocalName.Length..]}", form.Cost + item.Cost + 0.5 * path.Count(c => c == '>') + 1.6));
        }

        var found = FirstExact(document, candidates, wanted);
        if (found is not null) return found;

        // Look-alike siblings the items' own forms also select (month headings in the same list): exclude them by a class.
        var extra = candidates.Where(c => c.Cost < 6).OrderBy(c => c.Cost).Take(12)
            .Select(c => (c, Others: Select(document, c.Css)?.Where(e => !wanted.Contains(e)).ToList()))
            .Where(x => x.Others is { Count: > 0 } && Select(document, x.c.Css)!.Count(wanted.Contains) == wanted.Count);
        var excluding = new List<WrittenSelector>();
        foreach (var (candidate, others) in extra)
        {
            var shared = others!.Select(o => ClassNames.StableOf(o).ToHashSet(StringComparer.Ordinal))
                .Aggregate((a, b) => { a.IntersectWith(b); return a; });
            foreach (var cls in shared.Where(c => members.All(m => !m.ClassList.Contains(c))))
                excluding.Add(new($"{candidate.Css}:not(.{cls})", candidate.Cost + 1.5));
        }
        return FirstExact(document, excluding, wanted);
    }

    /// <summary>
    /// Relative selectors (in the sources file's sense: matched under the item) that may pick <paramref name="target"/>
    /// inside <paramref name="item"/>, cheapest first. The caller checks which pick the same node in every item.
    /// </summary>
    public static IEnumerable<WrittenSelector> ForField(IElement item, IElement target)
    {
        foreach (var form in Compounds(target, forItems: false)) yield return form;

        // An element with no class of its own: named by the nearest ancestor in the item that has one ("h3 a", ".meta time"),
        // or by the element it follows ("h3 + p": the paragraph after the title, when the first paragraph is a label).
        if (ClassNames.StableOf(target).Count == 0)
        {
            if (target.PreviousElementSibling is { } before && target.ParentElement != null)
                foreach (var previous in Compounds(before, forItems: false).Where(f => !f.Css.Contains('[')).Take(2))
                    yield return new($"{previous.Css} + {target.LocalName}", previous.Cost + TagCost(target.LocalName) + 0.9);

            foreach (var ancestor in target.Ancestors<IElement>().TakeWhile(a => a != item))
            {
                var named = Compounds(ancestor, forItems: false).Where(f => f.Css.Contains('.') || IsHeading(ancestor.LocalName)).ToList();
                if (named.Count == 0) continue;
                foreach (var outer in named.Take(2))
                    yield return new($"{outer.Css} {target.LocalName}", outer.Cost + TagCost(target.LocalName) + 0.6);
                break;
            }
        }
    }

    /// <summary>
    /// A selector whose first match in the document is <paramref name="target"/> (NextPage and Group read the first or
    /// all matches of the page, not of an item); the extra forms are tried after the element's own.
    /// </summary>
    public static string? ForFirstMatch(IDocument document, IElement target, IEnumerable<WrittenSelector> extra)
    {
        var candidates = Compounds(target, forItems: true).ToList();
        if (target.ParentElement is { } parent)
            foreach (var outer in Compounds(parent, forItems: false).Where(f => f.Css.Contains('.') || f.Css.Contains('#')))
                candidates.Add(new($"{outer.Css} {target.LocalName}", outer.Cost + 1.2));
        candidates.AddRange(extra);
        foreach (var candidate in candidates.OrderBy(c => c.Cost).ThenBy(c => c.Css.Length))
        {
            if (Parse(candidate.Css) is not null && document.QuerySelector(candidate.Css) == target) return candidate.Css;
        }
        return null;
    }

    /// <summary>
    /// The selector of group headings: every heading, and nothing else between the first and the last item or inside one
    /// (a "heading" elsewhere, in a sidebar after the list, changes nothing).
    /// </summary>
    public static string? ForHeadings(IDocument document, IReadOnlyList<IElement> headings, IReadOnlyList<IElement> members)
    {
        var wanted = headings.ToHashSet();
        var memberSet = members.ToHashSet();
        var first = members[0];
        var last = members[^1];
        var candidates = CommonCompounds(headings, forItems: true).ToList();
        var common = ItemGroupFinder.CommonAncestor(headings);
        if (common is not null)
            foreach (var form in Compounds(common, forItems: false).Where(f => f.Css.Contains('.') || f.Css.Contains('#')))
                foreach (var own in candidates.ToList())
                    candidates.Add(new($"{form.Css} {own.Css}", form.Cost + own.Cost + 0.8));

        foreach (var candidate in candidates.OrderBy(c => c.Cost).ThenBy(c => c.Css.Length))
        {
            var matched = Select(document, candidate.Css);
            if (matched is null || !wanted.All(matched.Contains)) continue;
            var harmless = matched.Where(m => !wanted.Contains(m)).All(m =>
                !m.Ancestors<IElement>().Any(memberSet.Contains) && !memberSet.Contains(m) && !Between(m, first, last));
            if (harmless) return candidate.Css;
        }
        return null;
    }

    /// <summary>The tag names from <paramref name="ancestor"/>'s child down to <paramref name="element"/>: "ul > li".</summary>
    private static string ChildPath(IElement ancestor, IElement element) =>
        string.Join(" > ", element.Ancestors<IElement>().TakeWhile(a => a != ancestor).Reverse().Select(a => a.LocalName).Append(element.LocalName));

    private static bool Between(IElement element, IElement first, IElement last) =>
        first.CompareDocumentPosition(element).HasFlag(DocumentPositions.Following)
        && last.CompareDocumentPosition(element).HasFlag(DocumentPositions.Preceding);

    private static string? FirstExact(IDocument document, IEnumerable<WrittenSelector> candidates, HashSet<IElement> wanted)
    {
        foreach (var candidate in candidates.DistinctBy(c => c.Css).OrderBy(c => c.Cost).ThenBy(c => c.Css.Length))
        {
            var matched = Select(document, candidate.Css);
            if (matched is not null && matched.Count == wanted.Count && matched.All(wanted.Contains)) return candidate.Css;
        }
        return null;
    }

    private static List<IElement>? Select(IDocument document, string css) =>
        Parse(css) is null ? null : document.QuerySelectorAll(css).ToList();

    private static AngleSharp.Css.Dom.ISelector? Parse(string css) => Parser.ParseSelector(css);

    /// <summary>The compound selectors every element of <paramref name="elements"/> satisfies.</summary>
    private static List<WrittenSelector> CommonCompounds(IReadOnlyList<IElement> elements, bool forItems)
    {
        var first = Compounds(elements[0], forItems).ToList();
        return first.Where(f => elements.Skip(1).All(e => Compounds(e, forItems).Any(o => o.Css == f.Css))).ToList();
    }

    /// <summary>
    /// The simple ways to name one element: its tag, each stable class alone or with the tag, two classes, a stable id,
    /// rel and itemprop values. Costs favour classes that name content and the tags that mean something.
    /// </summary>
    public static IEnumerable<WrittenSelector> Compounds(IElement element, bool forItems)
    {
        var tag = element.LocalName;
        var tagCost = TagCost(tag);
        yield return new(tag, forItems ? tagCost + 0.4 : tagCost);

        var classes = ClassNames.StableOf(element);
        foreach (var cls in classes)
        {
            // A class that names the element reads better, and lasts longer, than its bare tag; one that names a field
            // ("…__title", "entry-date") better than one every link of the site wears ("govuk-link").
            var classCost = 0.9 + cls.Length * 0.004 - (!forItems && ClassNames.WordsOf(cls).Any(FieldWords.Contains) ? 0.1 : 0);
            // Items read best as tag and class ("article.listing-item"); fields as the class alone (".summary").
            yield return new($".{cls}", forItems ? classCost + 0.3 : classCost);
            yield return new($"{tag}.{cls}", forItems ? classCost + 0.1 : classCost + 0.25);
        }
        for (var i = 0; i < classes.Count; i++)
            for (var j = i + 1; j < classes.Count && j < 4; j++)
                yield return new($"{tag}.{classes[i]}.{classes[j]}", 2.1 + (classes[i].Length + classes[j].Length) * 0.004);

        if (ClassNames.IsStableId(element.Id)) yield return new($"#{element.Id}", 1.1);

        if (element.GetAttribute("itemprop") is { } itemprop && IsToken(itemprop))
            yield return new($"[itemprop={itemprop}]", 1.3);
        if (element.GetAttribute("rel") is { } rel)
            foreach (var token in rel.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(IsToken))
                yield return new($"{tag}[rel~={token}]", 1.4);
    }

    public static double TagCost(string tag) => TagCosts.GetValueOrDefault(tag, 2.6);

    public static bool IsHeading(string tag) => tag is "h1" or "h2" or "h3" or "h4" or "h5" or "h6";

    private static bool IsToken(string value) => value.Length is > 0 and <= 40 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
