namespace CoopFeeds.Publishing;

/// <summary>Absolute public addresses of this service's pages and feeds, from one base URL.</summary>
public sealed record PublicUrls(Uri Base)
{
    /// <summary>Publishing:PublicBaseUrl when set; otherwise the request's own scheme, host and path base.</summary>
    public static PublicUrls For(HttpRequest request, PublishingOptions options)
    {
        if (options.PublicBaseUrl is { } configured) return new PublicUrls(WithSlash(configured));
        var built = $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
        return new PublicUrls(WithSlash(new Uri(built)));
    }

    public Uri Home => Base;
    public Uri SectionPage(string slug) => new(Base, $"sections/{Uri.EscapeDataString(slug)}");
    public Uri Feed(string slug, FeedFormat format, string rawQuery = "") => new(Base, $"feeds/{Uri.EscapeDataString(slug)}.{format.Extension}{rawQuery}");

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}
