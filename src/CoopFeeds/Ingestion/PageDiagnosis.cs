using System.Text.RegularExpressions;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Ingestion;

/// <summary>
/// Says why a page that answered 200 gave no items, or far fewer than usual, in words a maintainer can act on: which
/// selector stopped matching, and whether the page reads like a login, cookie or robot wall, or an error page.
/// </summary>
public static partial class PageDiagnosis
{
    /// <summary>How much of the page's text is looked at for a wall: walls say so near the top.</summary>
    private const int TextSample = 4000;

    /// <summary>Which selectors matched too little on the first page: Item first, then the fields inside the items.</summary>
    public static string DescribeSelectors(ListingSelectors selectors, SelectorMatches? matches)
    {
        if (matches is null || matches.Items == 0)
            return $"Selectors.Item '{selectors.Item.Text}' matched nothing";

        var parts = new List<string> { $"Selectors.Item '{selectors.Item.Text}' matched {matches.Items}" };
        Add("Title", selectors.Title, matches.Title);
        Add("Link", selectors.Link, matches.Link);
        Add("Date", selectors.Date, matches.Date);
        Add("Summary", selectors.Summary, matches.Summary);
        Add("Category", selectors.Category, matches.Category);
        return string.Join("; ", parts);

        void Add(string field, FieldSelector? selector, int count)
        {
            if (selector is not null && count < matches.Items)
                parts.Add($"Selectors.{field} '{selector.Text}' matched in {count} of them");
        }
    }

    /// <summary>What kind of wall or error the page is, with its title; null when it reads like an ordinary page.</summary>
    public static async Task<string?> DescribeWallAsync(byte[]? body, Uri address, CancellationToken cancellationToken)
    {
        if (body is null || body.Length == 0) return null;
        using var document = await ListingDocument.ParseAsync(new MemoryStream(body), address, null, cancellationToken);
        var title = Collapse(document.Title ?? "");
        var text = Collapse(document.Body?.TextContent ?? "");
        if (text.Length > TextSample) text = text[..TextSample];
        var sample = $"{title} {text}";
        var forms = document.QuerySelectorAll("input[type=password]").Length;

        string? kind =
            RobotWall().IsMatch(sample) ? "a robot check (captcha)"
            : forms > 0 || LoginWall().IsMatch(sample) ? "a login wall"
            : CookieWall().IsMatch(sample) ? "a cookie wall"
            : ErrorPage().IsMatch(title) || ErrorPage().IsMatch(text.Length > 300 ? text[..300] : text) ? "an error page"
            : null;
        if (kind is null) return null;
        return $"the page looks like {kind}" + (title.Length > 0 ? $" (title '{Shorten(title)}')" : "");
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..79] + "…";

    [GeneratedRegex(@"captcha|are you (a )?(human|robot)|verify (that )?you are (a )?human|unusual traffic|just a moment|attention required|bot protection", RegexOptions.IgnoreCase)]
    private static partial Regex RobotWall();

    [GeneratedRegex(@"\b(log ?in|sign ?in|log on|sign on)\b.{0,80}\b(to continue|required|account|password)|\bplease (log|sign) ?in\b|\bauthentication required\b|^\s*(log ?in|sign ?in)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LoginWall();

    [GeneratedRegex(@"\b(accept|allow|manage)\b.{0,40}\bcookies\b|\bcookie (consent|settings|preferences)\b|\bwe use cookies\b", RegexOptions.IgnoreCase)]
    private static partial Regex CookieWall();

    [GeneratedRegex(@"\b(page not found|not found|error \d{3}|\d{3} error|internal server error|service unavailable|temporarily unavailable|under maintenance|access denied|forbidden|something went wrong)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorPage();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
