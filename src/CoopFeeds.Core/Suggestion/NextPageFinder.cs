using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Suggestion;

/// <summary>The page's link to its next page: the selector in the sources file's dialect, the raw href, and how it was found.</summary>
internal sealed record NextPageChoice(string Selector, string Href, string How);

/// <summary>
/// Finds the link to a listing's next page, in this order: an &lt;a rel=next&gt;; a link whose text, label or class says
/// "next" in English, French, Spanish, German, Italian, Portuguese or Dutch ("Older posts", "Suivant", "Siguiente ›");
/// the head's &lt;link rel=next&gt;; the numbered link right after the current page's number. "Last »" and "Previous"
/// never count. The selector must find that very link first in the page, as NextPage is read.
/// </summary>
internal static partial class NextPageFinder
{
    private static readonly AngleSharp.Css.Parser.CssSelectorParser Parser = new();


    [GeneratedRegex(@"^(?:next|next page|next posts|older|older posts|older entries|older articles|more posts|suivant|suivante|page suivante|articles suivants|siguiente|pagina siguiente|siguientes|weiter|nachste|nachste seite|vor|volgende|successivo|successiva|pagina successiva|proxima|proximo|seguinte|›|»|>|→|>>|››)$", RegexOptions.CultureInvariant)]
    private static partial Regex NextText();

    [GeneratedRegex(@"(?:^|[\s_-])(?:next|suivant|siguiente|weiter|volgende|successiv|proxim)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NextLabel();

    [GeneratedRegex(@"\b(?:last|dernier|derniere|ultima|ultimo|letzte|laatste|fin|end|prev|previous|precedent|anterior|zuruck|vorige|first|premier|primera)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NotNext();

    public static NextPageChoice? Find(IDocument document, FieldContext context)
    {
        var anchors = document.QuerySelectorAll("a[href]").Where(a => IsFollowable(a, context)).ToList();

        var relNext = anchors.FirstOrDefault(a => Tokens(a.GetAttribute("rel")).Contains("next"));
        if (relNext is not null && Write(document, relNext, RelNextForms(relNext)) is { } byRel)
            return new(byRel, relNext.GetAttribute("href")!, "a[rel=next]");

        var worded = anchors.Where(SaysNext).OrderByDescending(a => InPagination(a) ? 1 : 0).ToList();
        foreach (var anchor in worded)
            if (Write(document, anchor, []) is { } byWord)
                return new(byWord, anchor.GetAttribute("href")!, $"a \"{Label(anchor)}\" link");

        if (document.QuerySelector("link[rel~=next][href]") is { } link && link.GetAttribute("href") is { } linkHref && context.Resolve(linkHref) is not null)
            return new("link[rel=next]@href", linkHref, "the head's link rel=next");

        return Numbered(document, context) is { } numbered ? numbered : null;
    }

    private static IEnumerable<WrittenSelector> RelNextForms(IElement anchor)
    {
        var exact = (anchor.GetAttribute("rel") ?? "").Trim() == "next";
        yield return new(exact ? "a[rel=next]" : "a[rel~=next]", 0.5);
    }

    /// <summary>The numbered link after the current page's number ("1 [2] 3": the current one is not a link, or says aria-current).</summary>
    private static NextPageChoice? Numbered(IDocument document, FieldContext context)
    {
        foreach (var current in document.QuerySelectorAll("[aria-current=page], .current, .active, .is-active, .pager-current, .is-current, .selected"))
        {
            if (!int.TryParse(TextCleaner.Clean(current.TextContent), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) continue;
            // The current page is the element itself or its list item; the next is the following sibling's link.
            var step = current.ParentElement is { LocalName: "li" } item && item.Children.Length == 1 ? item : current;
            if (step.NextElementSibling is not { } following) continue;
            var anchor = following.LocalName == "a" ? following : following.QuerySelector("a[href]");
            if (anchor is null || !IsFollowable(anchor, context)) continue;
            if (!int.TryParse(TextCleaner.Clean(anchor.TextContent), NumberStyles.None, CultureInfo.InvariantCulture, out var next) || next != number + 1) continue;

            // Named by what marks it current (aria-current, "current", "active"), never by what every page link shares.
            var currentForms = new List<WrittenSelector>();
            if (step.GetAttribute("aria-current") == "page") currentForms.Add(new($"{step.LocalName}[aria-current=page]", 1.5));
            foreach (var cls in step.ClassList.Where(IsCurrentClass))
                currentForms.Add(new($"{step.LocalName}.{cls}", 1.2 + cls.Length * 0.01));
            var extra = currentForms.Select(f => anchor == following
                ? new WrittenSelector($"{f.Css} + a", f.Cost + 1)
                : new WrittenSelector($"{f.Css} + {following.LocalName} a", f.Cost + 1.5));
            // Only a selector relative to the current page's number: "a.page" would be the link to page 2 on every page.
            if (Write(document, anchor, extra, onlyThese: true) is { } css)
                return new(css, anchor.GetAttribute("href")!, $"the link after page {number}");
        }
        return null;
    }

    private static string? Write(IDocument document, IElement anchor, IEnumerable<WrittenSelector> preferred, bool onlyThese = false)
    {
        var forms = preferred.ToList();
        if (onlyThese)
            return forms.OrderBy(f => f.Cost).FirstOrDefault(f => Parser.ParseSelector(f.Css) is not null && document.QuerySelector(f.Css) == anchor) is { Css: { } only } ? only + "@href" : null;
        var labelled = anchor.GetAttribute("aria-label") ?? anchor.GetAttribute("title");
        if (labelled is not null && labelled.Length <= 40 && !labelled.Contains('"'))
            forms.Add(new($"a[{(anchor.HasAttribute("aria-label") ? "aria-label" : "title")}=\"{labelled}\"]", 2.5));
        var css = SelectorWriter.ForFirstMatch(document, anchor, forms);
        // A bare "a" picks the page's first link, never the right one for long.
        return css is null || css == "a" ? null : css + "@href";
    }

    private static bool IsCurrentClass(string name) =>
        name is "current" or "active" or "is-active" or "is-current" or "selected" or "pager-current"
        || name.EndsWith("--current", StringComparison.Ordinal) || name.EndsWith("-current", StringComparison.Ordinal)
        || name.EndsWith("--active", StringComparison.Ordinal);

    private static bool SaysNext(IElement anchor)
    {
        var text = Fold(ListingExtractor.VisibleText(anchor));
        var label = Fold(anchor.GetAttribute("aria-label") ?? anchor.GetAttribute("title") ?? "");
        var classes = string.Join(' ', anchor.ClassList.Concat(anchor.ParentElement?.ClassList ?? Enumerable.Empty<string>()));
        if (NotNext().IsMatch(text) || NotNext().IsMatch(label) || NotNext().IsMatch(classes)) return false;
        var bare = text.Trim('»', '›', '→', '>', ' ', '.', '…');
        return NextText().IsMatch(text) || NextText().IsMatch(bare) || NextLabel().IsMatch(label) || NextLabel().IsMatch(classes);
    }

    private static bool InPagination(IElement anchor) =>
        anchor.Ancestors<IElement>().Take(4).Any(a => a.LocalName == "nav" || ClassNames.WordsOf(a).Any(w => w is "pagination" or "pager" or "pages" or "paging" or "paginacion" or "nav" or "navigation" or "links"));

    private static string Label(IElement anchor) => TextCleaner.Clean(ListingExtractor.VisibleText(anchor));

    private static bool IsFollowable(IElement anchor, FieldContext context) =>
        anchor.GetAttribute("href") is { } href && context.Resolve(href) is { } target
        && target != context.Resolve(context.BaseUri.AbsoluteUri);

    private static HashSet<string> Tokens(string? value) =>
        (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    private static string Fold(string text) => DateVocabulary.Fold(TextCleaner.Clean(text));
}
