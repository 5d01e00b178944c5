using AngleSharp.Dom;

namespace CoopFeeds.Core.Suggestion;

/// <summary>One candidate list: the elements that would each be an item, in document order, and how they were found.</summary>
internal sealed record ItemGroup(IReadOnlyList<IElement> Members, string Origin);

/// <summary>
/// Finds the repeated structures a listing is made of. Three kinds of seeds, each grouped by its tag path from the body:
/// links (a listing is a list of links), headings, and runs of like siblings (rows, cards, items without links). Each
/// seed group is lifted to the item boundary — as far up as every seed can go while its container holds no other seed —
/// then trimmed to the innermost element that holds the same text (an &lt;article&gt; rather than the &lt;li&gt; around
/// it). Chrome is left out; a group needs at least <see cref="MinItems"/> members.
/// </summary>
internal static class ItemGroupFinder
{
    public const int MinItems = 3;

    /// <summary>Past this many candidate groups the weakest seeds are not lifted: a page of 20,000 elements stays quick.</summary>
    private const int MaxGroups = 60;

    public static IReadOnlyList<ItemGroup> Find(IDocument document, PageChrome chrome)
    {
        var elements = chrome.Body.Descendants<IElement>().Where(e => !IsInvisibleTag(e.LocalName)).ToList();
        var seeds = new List<(List<IElement> Seeds, string Origin)>();

        var links = elements.Where(e => e.LocalName == "a" && IsContentLink(e) && !chrome.IsChrome(e)).ToList();
        seeds.AddRange(links.GroupBy(TagPath).Where(g => g.Count() >= MinItems).Select(g => (g.ToList(), "repeated links")));
        // The same path with the parent's classes too: a title link and a "3 hours ago" link can share a tag path
        // (span > a) in rows that alternate between an item and its byline.
        seeds.AddRange(links.GroupBy(ClassedPath).Where(g => g.Count() >= MinItems).Select(g => (g.ToList(), "repeated links")));

        var headings = elements.Where(e => e.LocalName is "h1" or "h2" or "h3" or "h4" or "h5" or "h6" && HasText(e) && !chrome.IsChrome(e));
        seeds.AddRange(headings.GroupBy(TagPath).Where(g => g.Count() >= MinItems).Select(g => (g.ToList(), "repeated headings")));

        foreach (var parent in elements.Where(e => e.ChildElementCount >= MinItems && !chrome.IsChrome(e)))
        {
            var runs = parent.Children.Where(c => !IsInvisibleTag(c.LocalName) && HasText(c))
                .GroupBy(c => c.LocalName)
                .Where(g => g.Count() >= MinItems && g.Key is not ("br" or "hr" or "img" or "span" or "a" or "strong" or "em" or "b" or "i" or "option" or "td" or "th"));
            seeds.AddRange(runs.Select(g => (g.ToList(), "repeated " + g.Key + " siblings")));
        }

        var order = new Dictionary<IElement, int>();
        foreach (var element in elements) order[element] = order.Count;
        var groups = new List<ItemGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, origin) in seeds.OrderByDescending(s => s.Seeds.Count).Take(MaxGroups * 3))
        {
            foreach (var members in Lift(group, chrome))
            {
                if (members.Count < MinItems || members.Any(chrome.IsChrome)) continue;
                if (!seen.Add(string.Join(',', members.Select(m => order.GetValueOrDefault(m, -1))))) continue;
                groups.Add(new ItemGroup(members, origin));
                if (groups.Count >= MaxGroups) return groups;
            }
        }
        return groups;
    }

    /// <summary>
    /// The largest run of like items that is too short to be a list (two news items in a box), for the problem that says
    /// why nothing was proposed; null when there is none.
    /// </summary>
    public static IReadOnlyList<IElement>? ShortList(IDocument document, PageChrome chrome)
    {
        var links = chrome.Body.Descendants<IElement>().Where(e => e.LocalName == "a" && IsContentLink(e) && !chrome.IsChrome(e)).ToList();
        foreach (var pair in links.GroupBy(ClassedPath).Where(g => g.Count() == MinItems - 1).Select(g => g.ToList()))
        {
            var common = CommonAncestor(pair);
            // Each link lifted to the child of their common ancestor that holds it: the two items.
            var items = pair.Select(a => a.Ancestors<IElement>().TakeWhile(x => x != common).LastOrDefault() ?? a).Distinct().ToList();
            if (items.Count == MinItems - 1 && items.All(i => i.LocalName == items[0].LocalName) && items.All(i => i.QuerySelector("a[href]") is not null || i.LocalName == "a"))
                return items;
        }
        return null;
    }

    /// <summary>
    /// The item elements a seed group stands for: each seed lifted by the same number of levels, the fewest any seed can
    /// rise without its container holding another seed (items of one list share one shape); then, when one list is split
    /// across separate boxes (a main list and a sidebar list of the same markup), each big enough box on its own too.
    /// </summary>
    private static IEnumerable<List<IElement>> Lift(List<IElement> seeds, PageChrome chrome)
    {
        // How many seeds each ancestor holds, counted once: a seed rises while its parent holds only itself.
        var held = new Dictionary<IElement, int>();
        foreach (var seed in seeds)
            foreach (var ancestor in seed.Ancestors<IElement>())
                held[ancestor] = held.GetValueOrDefault(ancestor) + 1;
        var levels = seeds.Select(s => RiseOf(s, held, chrome)).ToList();
        var sorted = levels.Order().ToList();
        var tried = new HashSet<int>();
        // The fewest levels, and the median: one item that holds two seeds (two category links) must not pin a whole list down.
        foreach (var level in new[] { sorted[0], sorted[sorted.Count / 2] })
        {
            if (!tried.Add(level)) continue;
            var lifted = seeds.Select(s => Up(s, level)).Distinct().ToList();
            if (lifted.Count < MinItems) continue;
            // Members nested in one another are not a list of items.
            var set = lifted.ToHashSet();
            if (lifted.Any(m => m.Ancestors<IElement>().Any(set.Contains))) continue;
            var trimmed = Trim(lifted);
            yield return trimmed;
            foreach (var part in Split(trimmed)) yield return part;
        }
    }

    /// <summary>How many levels a seed rises before its parent would hold another seed, the body, or chrome.</summary>
    private static int RiseOf(IElement seed, Dictionary<IElement, int> held, PageChrome chrome)
    {
        var level = 0;
        for (var node = seed; node.ParentElement is { } parent && parent != chrome.Body && parent.LocalName is not ("html" or "body"); node = parent)
        {
            if (chrome.IsChrome(parent) || parent == chrome.Main || held.GetValueOrDefault(parent) > 1) break;
            level++;
        }
        return level;
    }

    private static IElement Up(IElement element, int levels)
    {
        for (var i = 0; i < levels && element.ParentElement is { } parent; i++) element = parent;
        return element;
    }

    /// <summary>
    /// The innermost element of each member that still holds all of its text, when that holds for every member and the
    /// chosen elements share a tag: the &lt;article&gt; in &lt;li&gt;&lt;article&gt;…&lt;/article&gt;&lt;/li&gt;.
    /// </summary>
    private static List<IElement> Trim(List<IElement> members)
    {
        var current = members;
        while (true)
        {
            var inner = current.Select(OnlyChildWithAllText).ToList();
            if (inner.Any(i => i is null) || inner.Select(i => i!.LocalName).Distinct().Count() != 1) return current;
            // An article, list item or row is an item already; only an article inside it is more of one.
            if (current[0].LocalName is "article" or "li" or "tr" or "dd" or "section" && inner[0]!.LocalName != "article") return current;
            current = inner!;
        }
    }

    private static IElement? OnlyChildWithAllText(IElement element)
    {
        var withText = element.Children.Where(c => !IsInvisibleTag(c.LocalName) && (HasText(c) || c.QuerySelector("img") is not null)).ToList();
        if (withText.Count != 1) return null;
        var child = withText[0];
        return Normalize(child.TextContent) == Normalize(element.TextContent) ? child : null;
    }

    /// <summary>
    /// A list spread over separate boxes: the members under each child of their common ancestor. Each box with at least
    /// <see cref="MinItems"/> members and most of them is also a candidate (the same markup in a main list and a sidebar).
    /// </summary>
    private static IEnumerable<List<IElement>> Split(List<IElement> members)
    {
        var common = CommonAncestor(members);
        if (common is null) yield break;
        var parts = members.GroupBy(m => m.Ancestors<IElement>().TakeWhile(a => a != common).LastOrDefault() ?? m).ToList();
        if (parts.Count < 2) yield break;
        foreach (var part in parts.Where(p => p.Count() >= MinItems && p.Count() < members.Count))
            yield return part.ToList();
    }

    public static IElement? CommonAncestor(IReadOnlyList<IElement> elements)
    {
        if (elements.Count == 0) return null;
        var chain = elements[0].Ancestors<IElement>().ToList();
        foreach (var element in elements.Skip(1))
        {
            var ancestors = element.Ancestors<IElement>().ToHashSet();
            chain = chain.Where(ancestors.Contains).ToList();
        }
        return chain.FirstOrDefault();
    }

    private static string TagPath(IElement element)
    {
        var names = new List<string>();
        for (var node = element; node is not null && node.LocalName != "body"; node = node.ParentElement) names.Add(node.LocalName);
        names.Reverse();
        return string.Join('>', names);
    }

    private static string ClassedPath(IElement element) =>
        TagPath(element) + "|" + string.Join('.', ClassNames.StableOf(element)) + "|" + string.Join('.', element.ParentElement is { } parent ? ClassNames.StableOf(parent) : []);

    /// <summary>A link a reader would follow to an item: it leads to a page, and shows text or an image with alt text.</summary>
    public static bool IsContentLink(IElement anchor)
    {
        var href = anchor.GetAttribute("href")?.Trim();
        if (string.IsNullOrEmpty(href) || href[0] == '#' || Normalization.LinkResolver.HasRejectedScheme(href)) return false;
        return HasText(anchor) || anchor.QuerySelector("img[alt]:not([alt=''])") is not null;
    }

    public static bool HasText(IElement element) => !string.IsNullOrWhiteSpace(element.TextContent);

    public static bool IsInvisibleTag(string name) => name is "script" or "style" or "template" or "noscript" or "svg" or "head" or "meta" or "link";

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
