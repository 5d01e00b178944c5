using System.Text;
using AngleSharp.Dom;
using Ganss.Xss;

namespace CoopFeeds.Studio;

/// <summary>
/// A fetched page as a maintainer may look at it inside the studio: sanitized here, on an allow-list (text and layout
/// elements, a few plain attributes, images only as data: URIs; no script, no style, no event attribute, no link, form or
/// frame, so nothing in it runs or loads anything), with the elements the focused selector matches carrying
/// <see cref="MatchAttribute"/> and outlined by the one style sheet of the snapshot, which is ours. The page shows it in a
/// sandboxed frame without scripts or its own origin; the answer carries a CSP that blocks every request besides.
/// </summary>
public static class PageSnapshot
{
    public const string MatchAttribute = "data-coopfeeds-match";

    /// <summary>Default-deny: nothing loads, nothing runs; our inline style sheet and data: images only.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    /// <summary>Elements dropped with all they hold: code, style, embedded documents, and what only scripts would show.</summary>
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "noembed",
        "noframes", "xmp", "plaintext", "textarea", "title", "head", "select", "option", "svg", "math", "canvas", "audio",
        "video", "link", "meta", "base",
    };

    private static readonly string[] AllowedTags =
    [
        "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q",
        "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "u", "ul", "var", "wbr",
    ];

    /// <summary>No href (a click would load the site inside the frame), no id or name (they could shadow ours), no style.</summary>
    private static readonly string[] AllowedAttributes =
        ["class", "title", "alt", "datetime", "colspan", "rowspan", "lang", "dir", "src", MatchAttribute];

    // Configured once and never changed: HtmlSanitizer's Sanitize methods are then safe to call from several threads.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    /// <summary>
    /// The snapshot of <paramref name="document"/> with <paramref name="matched"/> marked (numbered from 1 in document
    /// order). The document is changed: parse a fresh one for each snapshot.
    /// </summary>
    public static string Render(IDocument document, IReadOnlyList<IElement> matched)
    {
        // A page cannot mark elements itself: only ours carry the attribute.
        foreach (var element in document.QuerySelectorAll($"[{MatchAttribute}]")) element.RemoveAttribute(MatchAttribute);
        var number = 0;
        foreach (var element in matched) element.SetAttribute(MatchAttribute, (++number).ToString(System.Globalization.CultureInfo.InvariantCulture));

        var body = document.Body;
        if (body is null) return Wrap("");
        foreach (var element in body.QuerySelectorAll("*").ToList())
        {
            if (DroppedWithContent.Contains(element.LocalName) || element.NamespaceUri != NamespaceNames.HtmlUri) element.Remove();
        }
        // Resolved against the page's address, relative URLs become http(s) ones, which the allow-list then drops.
        return Wrap(Sanitizer.Sanitize(body.InnerHtml, document.BaseUri));
    }

    /// <summary>Our markup around the sanitized page: no string from the page is in it.</summary>
    private static string Wrap(string sanitized) => new StringBuilder()
        .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>")
        .Append($"[{MatchAttribute}]{{outline:3px solid #d1006a !important;outline-offset:1px;background:rgba(209,0,106,.08) !important}}")
        .Append("img{max-width:100%;height:auto}")
        .Append("</style></head><body>")
        .Append(sanitized)
        .Append("</body></html>")
        .ToString();

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = HtmlSanitizerOptions.Empty();
        foreach (var tag in AllowedTags) options.AllowedTags.Add(tag);
        foreach (var attribute in AllowedAttributes) options.AllowedAttributes.Add(attribute);
        // Images inline only: a request to the site would tell it who is looking, from where.
        options.AllowedSchemes.Add("data");
        options.UriAttributes.Add("src");
        // Elements not allowed are unwrapped, keeping their text; those whose content must go are removed before (Render).
        return new HtmlSanitizer(options) { KeepChildNodes = true };
    }
}
