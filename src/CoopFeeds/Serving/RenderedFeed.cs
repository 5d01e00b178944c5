using System.IO.Compression;
using System.Security.Cryptography;

namespace CoopFeeds.Serving;

/// <summary>
/// A document rendered to bytes once, with its gzip and Brotli encodings made at the same time, and what HTTP caching needs.
/// Feeds, archives, the OPML list, the HTML pages and the status documents are all served from one of these.
/// </summary>
public sealed class RenderedFeed
{
    /// <summary>RFC 9110 §8.4.1 content-coding names.</summary>
    public const string Gzip = "gzip";
    public const string Brotli = "br";

    /// <summary>
    /// The date a document with no items carries, so that even an empty document's bytes never depend on the clock; not 1970,
    /// which the W3C validator calls an implausible date.
    /// </summary>
    public static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Fixed levels: the bytes are made once per change and served many times, so size matters more than speed here.
    private const int BrotliQuality = 9;
    private const int BrotliWindow = 22;

    private readonly FeedRepresentation[] _representations;

    /// <param name="body">The uncompressed bytes.</param>
    /// <param name="selfUrl">The document's own public URL (the WebSub Link header's rel=self).</param>
    /// <param name="hubUrl">The WebSub hub, when one is configured.</param>
    public RenderedFeed(byte[] body, string contentType, DateTimeOffset lastModified, TimeSpan maxAge, Uri selfUrl, Uri? hubUrl)
        : this(body, contentType, lastModified, maxAge)
    {
        // WebSub §4: the same hub and self as the document carries; exactly one rel=self.
        LinkHeader = hubUrl is null ? null : $"<{hubUrl.AbsoluteUri}>; rel=\"hub\", <{selfUrl.AbsoluteUri}>; rel=\"self\"";
    }

    /// <summary>A document no WebSub hub is told of: a page or a status document.</summary>
    /// <param name="body">The uncompressed bytes.</param>
    /// <param name="lastModified">The newest change among what the document shows; null when what it shows has no date (the ETag alone then revalidates it).</param>
    public RenderedFeed(byte[] body, string contentType, DateTimeOffset? lastModified, TimeSpan maxAge)
    {
        Body = body;
        ContentType = contentType;
        LastModified = lastModified;
        OpaqueTag = OpaqueTagOf(body);

        // Header values made once here, not on every request.
        LastModifiedHeader = lastModified is { } modified ? Microsoft.Net.Http.Headers.HeaderUtilities.FormatDate(modified) : null;
        CacheControlHeader = "public, max-age=" + ((long)maxAge.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        // RFC 9110 §8.8.3.3: each content coding is a different representation, so it gets its own tag;
        // all three derive from the uncompressed bytes, so every instance gives the same tags for the same feed.
        // The compressed bodies are made on the first request that asks for them: a filtered document may never be asked
        // for in Brotli, and every rendering costs what its first request waits for.
        _representations =
        [
            new FeedRepresentation(body, null, Quote(OpaqueTag)),
            new FeedRepresentation(() => CompressBrotli(body), Brotli, Quote(OpaqueTag + "-" + Brotli)),
            new FeedRepresentation(() => CompressGzip(body), Gzip, Quote(OpaqueTag + "-" + Gzip)),
        ];
    }

    public byte[] Body { get; }
    public string ContentType { get; }

    /// <summary>
    /// The most memory the document's bodies can take: the identity bytes and the bounds of their Brotli and gzip encodings,
    /// which are made on the first request asking for them, so a cache charging this stays within its bound whatever codings
    /// are asked for later.
    /// </summary>
    public long MaxBodyBytes => Body.Length + BrotliEncoder.GetMaxCompressedLength(Body.Length) + GzipBound(Body.Length);

    /// <summary>The newest change among the document's items (never the clock); null for a document with no such date.</summary>
    public DateTimeOffset? LastModified { get; }

    public string? LastModifiedHeader { get; }
    public string CacheControlHeader { get; }

    /// <summary>The WebSub Link header value, or null without a hub.</summary>
    public string? LinkHeader { get; }

    /// <summary>The tag of the uncompressed bytes, without quotes; the coded representations add "-br" and "-gzip".</summary>
    public string OpaqueTag { get; }

    private FeedRepresentation Identity => _representations[0];

    /// <summary>The representation for a content coding (null: identity).</summary>
    public FeedRepresentation For(string? contentCoding)
    {
        foreach (var representation in _representations)
        {
            if (representation.ContentEncoding == contentCoding) return representation;
        }
        return Identity;
    }

    /// <summary>
    /// True when <paramref name="opaqueTag"/> names any representation of this document: a reader that kept the gzip tag and
    /// now asks without gzip (or the other way round) still holds the same content, so it may revalidate with any of them.
    /// </summary>
    public bool IsTagOfThisDocument(ReadOnlySpan<char> opaqueTag)
    {
        foreach (var representation in _representations)
        {
            if (representation.ETag.AsSpan(1, representation.ETag.Length - 2).SequenceEqual(opaqueTag)) return true;
        }
        return false;
    }

    /// <summary>A strong tag derived from the uncompressed bytes: 128 bits of SHA-256, base64url.</summary>
    public static string OpaqueTagOf(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>
    /// Deflate at worst stores the input in blocks with a 5-byte header each (RFC 1951 §3.2.4; zlib's deflateBound allows about
    /// one byte in 3,000 more, plus 13); one in 1,000, the gzip header and trailer (RFC 1952, 18 bytes) and slack cover it.
    /// </summary>
    private static long GzipBound(int length) => length + length / 1000 + 64;

    private static string Quote(string opaque) => "\"" + opaque + "\"";

    private static byte[] CompressBrotli(byte[] body)
    {
        var buffer = new byte[BrotliEncoder.GetMaxCompressedLength(body.Length)];
        if (!BrotliEncoder.TryCompress(body, buffer, out var written, BrotliQuality, BrotliWindow))
            throw new InvalidOperationException("Brotli compression did not fit its own bound");
        return buffer.AsSpan(0, written).ToArray();
    }

    private static byte[] CompressGzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(body);
        }
        return output.ToArray();
    }
}

/// <summary>One content coding of a rendered document: the bytes sent, the Content-Encoding (null: identity) and the quoted ETag.</summary>
public sealed class FeedRepresentation
{
    private readonly Lazy<byte[]> _body;

    public FeedRepresentation(byte[] body, string? contentEncoding, string etag)
        : this(new Lazy<byte[]>(body), contentEncoding, etag)
    {
    }

    /// <param name="encode">Makes the body on first use, once, whichever thread asks first.</param>
    public FeedRepresentation(Func<byte[]> encode, string? contentEncoding, string etag)
        : this(new Lazy<byte[]>(encode, LazyThreadSafetyMode.ExecutionAndPublication), contentEncoding, etag)
    {
    }

    private FeedRepresentation(Lazy<byte[]> body, string? contentEncoding, string etag)
    {
        _body = body;
        ContentEncoding = contentEncoding;
        ETag = etag;
    }

    public byte[] Body => _body.Value;
    public string? ContentEncoding { get; }
    public string ETag { get; }
}
