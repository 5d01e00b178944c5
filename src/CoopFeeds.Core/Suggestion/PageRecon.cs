using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Suggestion;

/// <summary>What a page says about itself before any list is looked for: its feeds, and the signs that it cannot work.</summary>
internal sealed record PageSigns
{
    public required IReadOnlyList<string> Feeds { get; init; }

    /// <summary>A sign that the page is a login form, a bot check, an empty app shell or an article; null when none.</summary>
    public string? LoginWall { get; init; }
    public string? BlockPage { get; init; }
    public string? AppShell { get; init; }
    public string? Article { get; init; }
    public string? Empty { get; init; }

    /// <summary>Links the page's structured data lists (JSON-LD ItemList, article URLs), to cross-check a proposal with.</summary>
    public required IReadOnlySet<string> StructuredLinks { get; init; }

    /// <summary>The reasons a page with no list has none, most telling first.</summary>
    public IEnumerable<string> Reasons => new[] { BlockPage, LoginWall, AppShell, Empty, Article }.OfType<string>();
}

/// <summary>
/// Reads the page's own signs: the feeds it advertises (&lt;link rel=alternate&gt; of an RSS, Atom or JSON Feed type),
/// and what makes a page unusable as a listing — a password form, a bot check or block page, a JavaScript app shell with
/// nothing rendered, a single article, no content at all. Structured data (JSON-LD) is read only to cross-check links.
/// </summary>
internal static partial class PageRecon
{
    private static readonly HashSet<string> FeedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/rss+xml", "application/atom+xml", "application/feed+json", "application/json+feed", "application/rdf+xml",
    };

    [GeneratedRegex(@"\b(?:log ?in|sign ?in|signin|login|connexion|se connecter|iniciar sesi[oó]n|acceder|anmelden|accedi|entrar|members? only|mot de passe|password|contrase[ñn]a)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LoginWords();

    [GeneratedRegex(@"just a moment|attention required|checking your browser|verify you are (?:a )?human|are you a robot|access denied|request blocked|unusual traffic|captcha|ddos protection|please enable cookies|cf-browser-verification|bot protection|pardon our interruption|403 forbidden", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BlockWords();

    [GeneratedRegex(@"enable javascript|javascript is (?:required|disabled)|requires javascript|activer javascript|habilita javascript|you need to enable", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptWords();

    public static PageSigns Read(IDocument document, PageChrome chrome, FieldContext context)
    {
        var body = chrome.Body;
        var text = TextCleaner.Clean(ListingExtractor.VisibleText(body));
        var links = body.QuerySelectorAll("a[href]").Where(ItemGroupFinder.IsContentLink).ToList();
        var title = TextCleaner.Clean(document.Title ?? "");
        var heading = TextCleaner.Clean(document.QuerySelector("h1")?.TextContent ?? "");

        string? login = null;
        var password = document.QuerySelector("input[type=password i]");
        if (password is not null && !chrome.IsChrome(password))
            login = $"login wall: the page asks for a password{(LoginWords().IsMatch(title + " " + heading) ? $" (\"{Cut(heading.Length > 0 ? heading : title)}\")" : "")}; CoopFeeds reads pages as an anonymous visitor, so give it a public listing page";
        else if (LoginWords().IsMatch(title) && text.Length < 1500 && links.Count < 15)
            login = $"login wall: the page is a sign-in page (\"{Cut(title)}\"); give a public listing page";

        string? block = null;
        if (BlockWords().Match(title + " " + (text.Length < 3000 ? text : "")) is { Success: true } blocked)
            block = $"blocked: the site answered with a bot check or block page (\"{blocked.Value}\") instead of its content; try later, or a page the site lets robots read";

        string? shell = null;
        var scripts = document.QuerySelectorAll("script").Length;
        var root = document.QuerySelector("#app, #root, #__next, #__nuxt, #___gatsby, [data-reactroot], app-root, [ng-app], [ng-version]");
        if (text.Length < 250 && links.Count <= 3 && (root is not null || scripts >= 3 || ScriptWords().IsMatch(text)))
            shell = $"app shell: the page is built by JavaScript in the browser ({(root is null ? "" : PageChrome.Describe(root) + " is empty, ")}{scripts} script{(scripts == 1 ? "" : "s")}, {text.Length} characters of text); CoopFeeds does not run scripts — look for the site's feed, or a page rendered on the server";

        string? empty = null;
        if (shell is null && text.Length < 80 && links.Count < 3)
            empty = text.Length == 0 ? "empty page: no text and no links" : $"empty page: {text.Length} characters of text and {links.Count} link{(links.Count == 1 ? "" : "s")}";

        return new PageSigns
        {
            Feeds = Feeds(document, context),
            LoginWall = login,
            BlockPage = block,
            AppShell = shell,
            Article = ArticleSign(document, chrome),
            Empty = empty,
            StructuredLinks = StructuredLinks(document, context),
        };
    }

    private static List<string> Feeds(IDocument document, FieldContext context)
    {
        var feeds = new List<string>();
        foreach (var link in document.QuerySelectorAll("link[rel~=alternate i][href][type]"))
        {
            var type = (link.GetAttribute("type") ?? "").Split(';')[0].Trim();
            if (!FeedTypes.Contains(type)) continue;
            // The feed of a single post's comments is not the listing's feed.
            if ((link.GetAttribute("title") ?? "").Contains("comment", StringComparison.OrdinalIgnoreCase)) continue;
            if (context.Resolve(link.GetAttribute("href")) is { } url && !feeds.Contains(url)) feeds.Add(url);
        }
        return feeds;
    }

    /// <summary>
    /// An article rather than a list: it says so (og:type article, JSON-LD Article, NewsArticle or BlogPosting as the page's
    /// subject), or its main content is one long run of paragraphs.
    /// </summary>
    private static string? ArticleSign(IDocument document, PageChrome chrome)
    {
        var ogType = document.QuerySelector("meta[property='og:type' i]")?.GetAttribute("content")?.Trim();
        var main = chrome.Main;
        var paragraphs = main.QuerySelectorAll("p").Select(p => TextCleaner.Clean(p.TextContent)).Where(p => p.Length > 0).ToList();
        var words = paragraphs.Sum(p => p.Split(' ').Length);
        var longParagraphs = paragraphs.Count(p => p.Length >= 200);
        if (string.Equals(ogType, "article", StringComparison.OrdinalIgnoreCase))
            return $"an article, not a list: the page calls itself one (og:type article){(words > 0 ? $", {words} words of text" : "")}; give the listing page that links to it";
        if (JsonLdTypes(document).FirstOrDefault(t => t is "Article" or "NewsArticle" or "BlogPosting" or "Report" or "ScholarlyArticle") is { } type)
            return $"an article, not a list: its structured data describes one {type}; give the listing page that links to it";
        if (longParagraphs >= 4 && words >= 400)
            return $"an article, not a list: {longParagraphs} long paragraphs and {words} words in one body of text; give the listing page that links to it";
        return null;
    }

    /// <summary>The @type of the page's top-level JSON-LD objects (not of the items an ItemList holds).</summary>
    private static List<string> JsonLdTypes(IDocument document)
    {
        var types = new List<string>();
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json' i]"))
        {
            foreach (var node in TopLevel(script.TextContent))
                if (node.TryGetProperty("@type", out var type))
                {
                    if (type.ValueKind == JsonValueKind.String) types.Add(type.GetString()!);
                    else if (type.ValueKind == JsonValueKind.Array) types.AddRange(type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
                }
        }
        return types;
    }

    private static HashSet<string> StructuredLinks(IDocument document, FieldContext context)
    {
        var links = new HashSet<string>(StringComparer.Ordinal);
        foreach (var script in document.QuerySelectorAll("script[type='application/ld+json' i]"))
            foreach (var node in TopLevel(script.TextContent))
                if (node.TryGetProperty("itemListElement", out var list) && list.ValueKind == JsonValueKind.Array)
                    foreach (var entry in list.EnumerateArray())
                    {
                        var target = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("item", out var item) ? item : entry;
                        var url = target.ValueKind == JsonValueKind.String ? target.GetString()
                            : target.ValueKind == JsonValueKind.Object && target.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()
                            : target.ValueKind == JsonValueKind.Object && target.TryGetProperty("@id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
                            : entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("url", out var eu) && eu.ValueKind == JsonValueKind.String ? eu.GetString()
                            : null;
                        if (context.Resolve(url) is { } resolved) links.Add(resolved);
                    }
        return links;
    }

    /// <summary>The objects of a JSON-LD block: the block itself, the members of an array, or of an @graph. Bad JSON gives none.</summary>
    private static List<JsonElement> TopLevel(string json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = parsed.RootElement.Clone();
            var nodes = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return nodes.SelectMany(n => n.ValueKind == JsonValueKind.Object && n.TryGetProperty("@graph", out var graph) && graph.ValueKind == JsonValueKind.Array
                ? graph.EnumerateArray().ToList() : [n]).Where(n => n.ValueKind == JsonValueKind.Object).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Cut(string text) => text.Length <= 60 ? text : text[..59] + "…";
}
