using System.Text.Unicode;
using AngleSharp;
using AngleSharp.Dom;

namespace CoopFeeds.Core.Extraction;

/// <summary>
/// Turns fetched bytes into a DOM the way a browser would: the address anchors relative links,
/// the charset comes from the Content-Type header, a BOM or a &lt;meta&gt; (windows-1252 when none says and the
/// bytes are not UTF-8). AngleSharp never fetches anything here.
/// </summary>
public static partial class ListingDocument
{
    // No loaders and no scripting: parsing a listing must never reach the network.
    private static readonly IConfiguration Configuration = AngleSharp.Configuration.Default;

    /// <summary>
    /// The encoding browsers in Western locales fall back to for a page that declares none (WHATWG Encoding,
    /// "windows-1252" is also what the labels iso-8859-1 and us-ascii mean).
    /// </summary>
    private const string LegacyFallbackCharset = "windows-1252";

    /// <summary>
    /// Parses a listing. A page that declares no charset anywhere (header, BOM, &lt;meta&gt;) and is not valid UTF-8
    /// is read as windows-1252, as browsers do, rather than as UTF-8 with every accented letter replaced by U+FFFD.
    /// </summary>
    public static async Task<IDocument> ParseAsync(Stream content, Uri address, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(address);

        var bytes = await ReadAllAsync(content, cancellationToken);
        var charset = contentType is null ? null : CharsetParameter().Match(contentType) is { Success: true } m ? m.Groups["c"].Value : null;
        var document = await OpenAsync(bytes, address, charset, cancellationToken);
        if (charset is not null || !DeclaresNoCharsetAndIsNotUtf8(document, bytes))
        {
            return document;
        }

        document.Dispose();
        return await OpenAsync(bytes, address, LegacyFallbackCharset, cancellationToken);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"charset\s*=\s*[""']?(?<c>[^""';\s]+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex CharsetParameter();

    public static Task<IDocument> ParseAsync(string html, Uri address, CancellationToken cancellationToken) =>
        ParseAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(html)), address, "text/html; charset=utf-8", cancellationToken);

    /// <summary>
    /// Always parsed as HTML: a listing is an HTML page by definition, and servers that label one text/plain or
    /// application/octet-stream would otherwise give a text document with no items and no reason. Only the header's
    /// charset is kept from the Content-Type.
    /// </summary>
    private static async Task<IDocument> OpenAsync(byte[] bytes, Uri address, string? charset, CancellationToken cancellationToken)
    {
        var context = BrowsingContext.New(Configuration);
        return await context.OpenAsync(response =>
        {
            // The absolute string: Address(Uri) keeps a file URI's OriginalString ("/path/page.html"), which AngleSharp reads as relative.
            response.Content(new MemoryStream(bytes, writable: false), shouldDispose: true).Address(address.AbsoluteUri);
            response.Header("Content-Type", charset is null ? "text/html" : $"text/html; charset={charset}");
        }, cancellationToken);
    }

    private static async Task<byte[]> ReadAllAsync(Stream content, CancellationToken cancellationToken)
    {
        if (content is MemoryStream memory && memory.Position == 0)
        {
            return memory.ToArray();
        }

        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        return copy.ToArray();
    }

    private static bool DeclaresNoCharsetAndIsNotUtf8(IDocument document, byte[] bytes)
    {
        if (!string.Equals(document.CharacterSet, "utf-8", StringComparison.OrdinalIgnoreCase)
            || bytes is [0xEF, 0xBB, 0xBF, ..] or [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..])
        {
            return false;
        }

        var declared = document.QuerySelector("meta[charset]") is not null
            || document.QuerySelectorAll("meta[http-equiv]").Any(m =>
                string.Equals(m.GetAttribute("http-equiv")?.Trim(), "content-type", StringComparison.OrdinalIgnoreCase)
                && m.GetAttribute("content")?.Contains("charset", StringComparison.OrdinalIgnoreCase) == true);
        return !declared && !Utf8.IsValid(bytes);
    }
}
