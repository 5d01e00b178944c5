using System.Buffers;
using System.Text;
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
    /// AngleSharp finds windows-1252 and the other legacy encodings through <see cref="Encoding.GetEncoding(string)"/>,
    /// which knows them only once the code-pages provider is registered, and keeps what it found on first use (UTF-8 in
    /// their place when the provider is missing): so before this class decodes anything.
    /// </summary>
    static ListingDocument() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// The encoding browsers in Western locales fall back to for a page that declares none (WHATWG Encoding,
    /// "windows-1252" is also what the labels iso-8859-1 and us-ascii mean).
    /// </summary>
    private const string LegacyFallbackCharset = "windows-1252";

    /// <summary>
    /// The deepest nesting of elements a listing may have. Real listings nest fewer than 100 levels; Chromium's HTML parser,
    /// and AngleSharp's, stop nesting the tree they build at 512 (so nothing deeper renders as written anyway), but
    /// AngleSharp's stack of open elements grows on and its cost with the square of it: 512 levels parse in milliseconds,
    /// 100,000 take half a minute of CPU. Refusing by depth, before parsing, costs one linear scan and does not depend on
    /// how busy the machine is, as a time budget would.
    /// </summary>
    public const int MaxNestingDepth = 512;

    /// <summary>
    /// Why a page must not be parsed, or null: its elements nest deeper than <see cref="MaxNestingDepth"/>. One linear pass
    /// over the bytes (<see cref="NestingScan"/>), cheap next to the parse it saves.
    /// </summary>
    public static string? CheckNesting(ReadOnlySpan<byte> bytes, string? contentType)
    {
        var depth = ScanDepth(bytes, CharsetOf(contentType));
        return depth > MaxNestingDepth
            ? $"page too deeply nested: its elements nest more than {MaxNestingDepth} levels deep (real listings nest fewer than 100); it was not parsed"
            : null;
    }

    /// <summary>
    /// Parses a listing. A page that declares no charset anywhere (header, BOM, &lt;meta&gt;) and is not valid UTF-8
    /// is read as windows-1252, as browsers do, rather than as UTF-8 with every accented letter replaced by U+FFFD.
    /// The address's user info and secret parameters are left out of the document, so that no link resolved against it
    /// carries a password or a token (<see cref="Sources.UrlRedactor.WithoutCredentials"/>);
    /// a page that <see cref="CheckNesting"/> refuses throws <see cref="InvalidDataException"/> (check it first).
    /// </summary>
    public static async Task<IDocument> ParseAsync(Stream content, Uri address, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(address);

        return await ParseAsync(await ReadAllAsync(content, cancellationToken), address, contentType, cancellationToken);
    }

    /// <summary>
    /// Parses a listing already in memory, as <see cref="ParseAsync(Stream, Uri, string?, CancellationToken)"/> does, reading
    /// <paramref name="bytes"/> in place (no copy; they must not change while the parse runs).
    /// </summary>
    public static async Task<IDocument> ParseAsync(byte[] bytes, Uri address, string? contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(address);

        if (CheckNesting(bytes, contentType) is { } refusal)
        {
            throw new InvalidDataException(refusal);
        }

        address = Sources.UrlRedactor.WithoutCredentials(address);
        var charset = CharsetOf(contentType);
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

    private static string? CharsetOf(string? contentType) =>
        contentType is null ? null : CharsetParameter().Match(contentType) is { Success: true } m ? m.Groups["c"].Value : null;

    /// <summary>
    /// <see cref="NestingScan"/> over the page as characters: decoded as the parser will (a BOM, else the header's charset)
    /// when that encoding does not write ASCII as ASCII (UTF-16), else byte for byte, which keeps every tag where it is in
    /// UTF-8, windows-1252 and the other ASCII-compatible encodings (a &lt;meta charset&gt; cannot name UTF-16). The byte
    /// for byte copy goes in a pooled buffer: a page's characters are twice its bytes, on the large-object heap as a string,
    /// and the scan runs twice for each page ingestion parses (<c>ListingReader</c> checks first, the parse again).
    /// </summary>
    private static int ScanDepth(ReadOnlySpan<byte> bytes, string? charset)
    {
        var encoding = bytes switch
        {
            [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
            [0xFF, 0xFE, ..] => Encoding.Unicode,
            [0xEF, 0xBB, 0xBF, ..] => Encoding.UTF8,
            _ => charset is null ? null : AngleSharp.Text.TextEncoding.Resolve(charset),
        };
        if (encoding is not null && !encoding.GetBytes("<a>").AsSpan().SequenceEqual("<a>"u8))
        {
            return NestingScan.MaxDepth(encoding.GetString(bytes), MaxNestingDepth);
        }

        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            var length = Encoding.Latin1.GetChars(bytes, chars);
            return NestingScan.MaxDepth(chars.AsSpan(0, length), MaxNestingDepth);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

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
