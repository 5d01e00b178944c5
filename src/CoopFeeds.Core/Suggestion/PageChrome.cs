using AngleSharp.Dom;

namespace CoopFeeds.Core.Suggestion;

/// <summary>
/// The parts of a page around its content: landmarks (nav, aside, the site's header and footer), menus, breadcrumbs,
/// cookie banners and sidebars, and the main content region. Items are never looked for in the chrome; lists that only
/// look like secondary content ("related", "most read") are kept but marked, so that ranking can weigh them.
/// </summary>
internal sealed class PageChrome
{
    private static readonly HashSet<string> LandmarkRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        "navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar", "dialog", "alertdialog", "toolbar",
    };

    /// <summary>Words of a class or id that mark a box of links as chrome: one never holds a page's items.</summary>
    private static readonly HashSet<string> ChromeWords = new(StringComparer.Ordinal)
    {
        "nav", "navbar", "navigation", "menu", "menus", "megamenu", "submenu", "dropdown", "breadcrumb", "breadcrumbs",
        "footer", "sidebar", "skip", "topbar", "toolbar", "masthead", "social", "share", "sharing", "offcanvas", "drawer",
        "modal", "pager", "pagination",
    };

    /// <summary>Words of a cookie or consent banner: chrome even with a single link in it.</summary>
    private static readonly HashSet<string> BannerWords = new(StringComparer.Ordinal)
    {
        "cookie", "cookies", "consent", "gdpr", "cmp", "rgpd",
    };

    /// <summary>Words of lists that read like content but are not the page's own list.</summary>
    private static readonly HashSet<string> SecondaryWords = new(StringComparer.Ordinal)
    {
        "related", "popular", "trending", "recent", "latest", "most", "promo", "promoted", "sponsor", "sponsored", "ad", "ads",
        "advert", "advertisement", "highlight", "highlights", "featured", "spotlight", "teasers", "more", "widget", "widgets",
        "newsletter", "subscribe",
    };

    private static readonly string[] MainSelectors =
    [
        "main", "[role=main]", "#main-content", "#maincontent", "#content", "#primary", "#contenu", "#contenido",
        ".main-content", ".site-main", ".site-content", "#page-content", "#main",
    ];

    private readonly Dictionary<IElement, string?> _chrome = [];
    private readonly Dictionary<IElement, string?> _secondary = [];

    public PageChrome(IDocument document)
    {
        Body = document.Body ?? document.DocumentElement;
        Main = FindMain(document) ?? Body;
    }

    public IElement Body { get; }

    /// <summary>The main content region: &lt;main&gt;, [role=main] or a #content-like box; the body when the page has none.</summary>
    public IElement Main { get; }

    public bool HasMain => Main != Body;

    public bool InMain(IElement element) => !HasMain || Main == element || Main.Contains(element);

    /// <summary>Why <paramref name="element"/> is chrome ("in &lt;nav&gt;", "in div.sidebar"), or null when it is not.</summary>
    public string? ChromeOf(IElement element)
    {
        if (_chrome.TryGetValue(element, out var known)) return known;
        var reason = OwnChrome(element) ?? (element.ParentElement is { } parent && parent != Body ? ChromeOf(parent) : null);
        _chrome[element] = reason;
        return reason;
    }

    public bool IsChrome(IElement element) => ChromeOf(element) is not null;

    /// <summary>Why <paramref name="element"/> sits in a secondary list ("in div.related-posts"), or null.</summary>
    public string? SecondaryOf(IElement element)
    {
        if (_secondary.TryGetValue(element, out var known)) return known;
        string? reason = null;
        if (!ContainsMain(element) && ClassNames.WordsOf(element).Any(SecondaryWords.Contains)) reason = $"in {Describe(element)}";
        reason ??= element.ParentElement is { } parent && parent != Body ? SecondaryOf(parent) : null;
        _secondary[element] = reason;
        return reason;
    }

    private string? OwnChrome(IElement element)
    {
        // The main region and what holds it are never chrome, whatever their classes say.
        if (ContainsMain(element)) return null;
        var name = element.LocalName;
        if (name is "nav" or "aside" or "menu" or "dialog") return $"in <{name}>";
        if (name is "header" or "footer" && !InsideSection(element)) return $"in the page's <{name}>";
        if (element.GetAttribute("role") is { } role && LandmarkRoles.Contains(role.Trim())) return $"in [role={role.Trim()}]";
        if (element.GetAttribute("aria-modal") == "true") return "in a modal";
        var words = ClassNames.WordsOf(element).ToList();
        if (words.Any(BannerWords.Contains)) return $"in {Describe(element)}";
        // "page-with-sidebar", "has-sidebar", "no-sidebar" describe a layout, not the box itself.
        if (words.Any(w => w is "with" or "has" or "no" or "without" or "layout")) return null;
        if (words.Contains("sidebar") && !InsideArticle(element)) return $"in {Describe(element)}";
        // A class alone is weaker evidence than a landmark: only a box of links, outside any article ("card-footer" is
        // part of its card, "entry-footer" of its post).
        if (words.Any(ChromeWords.Contains) && !InsideArticle(element)
            && (element.LocalName is "ul" or "ol" or "nav" || element.QuerySelectorAll("a[href]").Length >= 2))
            return $"in {Describe(element)}";
        return null;
    }

    private bool ContainsMain(IElement element) => HasMain && (element == Main || element.Contains(Main));

    /// <summary>HTML's rule: a header or footer is the page's only when no article, aside, main, nav or section holds it.</summary>
    private static bool InsideSection(IElement element) =>
        element.Ancestors<IElement>().Any(a => a.LocalName is "article" or "aside" or "main" or "nav" or "section");

    /// <summary>A card's "footer" or a post's "share" bar belongs to the post.</summary>
    private static bool InsideArticle(IElement element) => element.Ancestors<IElement>().Any(a => a.LocalName == "article");

    /// <summary>A short name for an element in evidence: <c>div.sidebar</c>, <c>ul#main-menu</c>, <c>section</c>.</summary>
    public static string Describe(IElement element)
    {
        if (element.Id is { Length: > 0 } id) return $"{element.LocalName}#{id}";
        var classes = element.ClassList.Take(2).ToList();
        return classes.Count == 0 ? element.LocalName : element.LocalName + "." + string.Join('.', classes);
    }

    private static IElement? FindMain(IDocument document)
    {
        // A region must hold a fair part of the page's text: "#main-content" is often only the skip link's empty target.
        var bodyText = Math.Max(1, document.Body?.TextContent.Length ?? 1);
        foreach (var selector in MainSelectors)
        {
            var found = document.QuerySelectorAll(selector)
                .Where(e => e != document.Body && e.LocalName is not ("a" or "span") && e.TextContent.Length >= bodyText / 5)
                .ToList();
            if (found.Count == 0) continue;
            // Several <main>s (a template's and the page's): the one with the most text.
            return found.OrderByDescending(e => e.TextContent.Length).First();
        }
        return null;
    }
}
