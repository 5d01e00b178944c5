namespace CoopFeeds.Serving;

/// <summary>Absolute public addresses of this service's pages and feeds, from one base URL.</summary>
public sealed record PublicUrls(Uri Base)
{
    /// <summary>
    /// Publishing:PublicBaseUrl when set; otherwise the request's own scheme, host and path base (which the forwarded-headers
    /// middleware has rewritten only when the request came through one of Publishing:TrustedProxies).
    /// </summary>
    public static PublicUrls For(HttpRequest request, PublishingOptions options)
    {
        if (options.PublicBaseUrl is { } configured) return From(configured);
        var built = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        return From(new Uri(built));
    }

    /// <summary>
    /// Whether <see cref="For"/> can build addresses from the request's Host header. Well-formed but odd hosts (an unknown name,
    /// a trailing dot) can; these cannot: none (HTTP/1.0 may omit it), an empty one, an empty label (<c>a..b</c>), a port past
    /// 65535, a label that is not valid punycode (<c>xn--</c>, which ASP.NET fails to decode as soon as the host is read).
    /// Reads the header itself, never <see cref="HttpRequest.Host"/>, which throws on the last kind.
    /// </summary>
    public static bool CanBuildFrom(HttpRequest request)
    {
        var header = request.Headers.Host.ToString();
        if (header.Length == 0) return false;
        try
        {
            var host = HostString.FromUriComponent(header);
            return Uri.TryCreate($"{request.Scheme}://{host.ToUriComponent()}{request.PathBase.ToUriComponent()}/", UriKind.Absolute, out _);
        }
        catch (ArgumentException)
        {
            // IdnMapping: a label starting "xn--" that does not decode.
            return false;
        }
    }

    /// <summary>The addresses under <paramref name="baseUrl"/>, which gets a trailing slash so relative paths go beneath it.</summary>
    public static PublicUrls From(Uri baseUrl) => new(WithSlash(baseUrl));

    /// <summary>
    /// The pieces of a string naming the document a request asks for — the base <see cref="For"/> would give (when it comes
    /// from the request and the document writes links), the path, and the query (when the document reads it) — made without
    /// building a Uri. Joined, they key the document cache, so a request for a document already rendered finds it without
    /// parsing anything. Returns how many of <paramref name="parts"/> it set.
    /// </summary>
    public static int CacheKeyParts(HttpRequest request, PublishingOptions options, DocumentKind kind, Span<string?> parts)
    {
        var count = 0;
        if (kind.ByBase && options.PublicBaseUrl is null)
        {
            parts[count++] = request.Scheme;
            parts[count++] = "://";
            parts[count++] = request.Host.Value;
            parts[count++] = request.PathBase.Value;
        }
        parts[count++] = "|";
        parts[count++] = request.Path.Value;
        if (kind.ByQuery) parts[count++] = request.QueryString.Value;
        return count;
    }

    /// <summary>The most <see cref="CacheKeyParts"/> sets.</summary>
    public const int MaxCacheKeyParts = 7;

    public Uri Home => Base;
    public Uri SectionPage(string slug) => new(Base, $"sections/{Uri.EscapeDataString(slug)}");
    public Uri Feed(string slug, FeedFormat format, string rawQuery = "") => new(Base, $"feeds/{Uri.EscapeDataString(slug)}.{format.Extension}{rawQuery}");

    /// <summary>RFC 5005 archive document <paramref name="page"/> (1 = the oldest).</summary>
    public Uri Archive(string slug, int page, FeedFormat format) =>
        new(Base, $"feeds/{Uri.EscapeDataString(slug)}/archive/{page.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{format.Extension}");

    public Uri Opml => new(Base, "feeds.opml");

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
