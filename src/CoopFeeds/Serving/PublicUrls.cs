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

    /// <summary>The addresses under <paramref name="baseUrl"/>, which gets a trailing slash so relative paths go beneath it.</summary>
    public static PublicUrls From(Uri baseUrl) => new(WithSlash(baseUrl));

    /// <summary>
    /// The pieces of a string naming the document a request asks for — the base <see cref="For"/> would give (when it comes
    /// from the request), the path and the query — made without building a Uri. Joined, they key the feed cache, so a request
    /// for a document already rendered finds it without parsing anything. Returns how many of <paramref name="parts"/> it set.
    /// </summary>
    public static int CacheKeyParts(HttpRequest request, PublishingOptions options, Span<string?> parts)
    {
        var count = 0;
        if (options.PublicBaseUrl is null)
        {
            parts[count++] = request.Scheme;
            parts[count++] = "://";
            parts[count++] = request.Host.Value;
            parts[count++] = request.PathBase.Value;
        }
        parts[count++] = "|";
        parts[count++] = request.Path.Value;
        parts[count++] = request.QueryString.Value;
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
