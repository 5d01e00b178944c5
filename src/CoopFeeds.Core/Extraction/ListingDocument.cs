using System.Text.Unicode;
using AngleSharp;
using AngleSharp.Dom;

namespace CoopFeeds.Core.Extraction;

/// <summary>
/// Turns fetched bytes into a DOM the way a browser would: the address anchors relative links,
/// the charset comes from the Content-Type header, a BOM or a &lt;meta&gt;. AngleSharp never fetches anything here.
/// </summary>
public static class ListingDocument
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
        var document = await OpenAsync(bytes, address, contentType, cancellationToken);
        if (!DeclaresNoCharsetAndIsNotUtf8(document, bytes, contentType))
        {
            return document;
        }

        document.Dispose();
        var legacy = string.IsNullOrWhiteSpace(contentType)
            ? $"text/html; charset={LegacyFallbackCharset}"
            : $"{contentType.TrimEnd(' ', ';')}; charset={LegacyFallbackCharset}";
        return await OpenAsync(bytes, address, legacy, cancellationToken);
    }

    public static Task<IDocument> ParseAsync(string html, Uri address, CancellationToken cancellationToken) =>
        ParseAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(html)), address, "text/html; charset=utf-8", cancellationToken);

    private static async Task<IDocument> OpenAsync(byte[] bytes, Uri address, string? contentType, CancellationToken cancellationToken)
    {
        var context = BrowsingContext.New(Configuration);
        return await context.OpenAsync(response =>
        {
            response.Content(new MemoryStream(bytes, writable: false), shouldDispose: true).Address(address);
            if (!string.IsNullOrWhiteSpace(contentType)) response.Header("Content-Type", contentType);
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

    private static bool DeclaresNoCharsetAndIsNotUtf8(IDocument document, byte[] bytes, string? contentType)
    {
        if (contentType?.Contains("charset", StringComparison.OrdinalIgnoreCase) == true
            || !string.Equals(document.CharacterSet, "utf-8", StringComparison.OrdinalIgnoreCase)
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
