using System.Globalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Serving;
using CoopFeeds.Sources;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// <c>GET|HEAD /feeds/{slug}.{rss|atom|json}</c>, the RFC 5005 archives <c>/feeds/{slug}/archive/{n}.{rss|atom}</c> and
/// <c>/feeds.opml</c>: rendered once per change, served from memory, revalidated cheaply (see <see cref="FeedResponse"/>).
/// </summary>
public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        // MapGet alone does not answer HEAD; feed readers, validators and WebSub discovery use it (checklist 6.8).
        string[] getAndHead = [HttpMethods.Get, HttpMethods.Head];
        app.MapMethods("/feeds/{slug}.{format}", getAndHead, GetFeedAsync).BuildsPublicUrls();
        app.MapMethods("/feeds/{slug}/archive/{page:int}.{format}", getAndHead, GetArchiveAsync).BuildsPublicUrls();
        app.MapMethods("/feeds.opml", getAndHead, GetOpmlAsync).BuildsPublicUrls();
        // Any other address under /feeds/ (/feeds//all.rss, archive/x.rss) names no document: 404, not the 405 that the
        // OPTIONS route below would otherwise make routing answer.
        app.MapMethods("/feeds/{**path}", getAndHead, (HttpContext context, SourceCatalogProvider catalogs) => NoFeed(context, catalogs.Current));

        // Checklist 6.12: a browser partner sending If-None-Match (not CORS-safelisted) asks first.
        app.MapMethods("/feeds/{**path}", [HttpMethods.Options], Preflight);
        app.MapMethods("/feeds.opml", [HttpMethods.Options], Preflight);
        return app;
    }

    private static IResult Preflight(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlAllowMethods = "GET, HEAD";
        headers.AccessControlAllowHeaders = "If-None-Match, If-Modified-Since";
        headers.AccessControlMaxAge = "86400";
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetFeedAsync(
        string slug,
        string format,
        HttpContext context,
        SourceCatalogProvider catalogs,
        FeedRenderer renderer,
        FeedCache cache,
        RenderAdmission admission,
        FeedRateLimiter limiter,
        CoopFeedsMetrics metrics,
        IOptions<PublishingOptions> options)
    {
        // Served many times per rendering: a current document is found on the request's own address before anything is parsed.
        if (TryGetCurrent(cache, context.Request, options.Value, out var current)) return Send(current);

        var feedFormat = FeedFormat.Find(format);
        var catalog = catalogs.Current;
        var target = FeedTarget.Find(catalog, slug);
        if (feedFormat is null || target is null || !IsCanonicalPath(context.Request)) return NoFeed(context, catalog);

        var (query, problems) = FeedQuery.Parse(context.Request.Query, options.Value.MaxLimit);
        if (query is null)
            return Problem(context, StatusCodes.Status400BadRequest, "Bad query: " + string.Join("; ", problems) + "\n");

        var urls = PublicUrls.For(context.Request, options.Value);
        var rawQuery = context.Request.QueryString.Value ?? "";
        // Rendering is shared by concurrent requests, so one client's disconnect must not cancel it.
        var admitted = await admission.GetOrRenderAsync(context, CacheKey(context.Request, options.Value),
            async () => await renderer.RenderAsync(target, feedFormat, query, rawQuery, urls, CancellationToken.None));
        if (admitted.Feed is { } feed) return Send(feed);
        metrics.RecordFeedRequest(slug, format, notModified: false);
        return admitted.Refusal!;

        IResult Send(RenderedFeed rendered)
        {
            var result = FeedResponse.Send(context, rendered, limiter, out var notModified);
            metrics.RecordFeedRequest(slug, format, notModified);
            return result;
        }
    }

    private static async Task<IResult> GetArchiveAsync(
        string slug,
        int page,
        string format,
        HttpContext context,
        SourceCatalogProvider catalogs,
        FeedRenderer renderer,
        FeedCache cache,
        RenderAdmission admission,
        FeedRateLimiter limiter,
        IOptions<PublishingOptions> options)
    {
        if (TryGetCurrent(cache, context.Request, options.Value, out var current)) return FeedResponse.Send(context, current, limiter);

        // RFC 5005 archives are an Atom mechanism, carried in RSS by appendix B; JSON Feed has none.
        var feedFormat = FeedFormat.Find(format);
        var catalog = catalogs.Current;
        var target = FeedTarget.Find(catalog, slug);
        if (feedFormat is null || feedFormat == FeedFormat.Json || target is null || !IsCanonicalPath(context.Request)) return NoFeed(context, catalog);
        if (context.Request.QueryString.HasValue)
            return Problem(context, StatusCodes.Status400BadRequest, "Bad query: archive documents take no parameters\n");

        // Only pages that exist, written as the links write them ("1", not "01" or "+1"), are rendered and cached: open-ended
        // spellings must neither fill the cache nor each get rate-limit permits of their own.
        var pages = await renderer.FullArchivePagesAsync(target, context.RequestAborted);
        var admitted = page >= 1 && page <= pages && Equals(context.Request.RouteValues["page"], page.ToString(CultureInfo.InvariantCulture))
            ? await admission.GetOrRenderAsync(context, CacheKey(context.Request, options.Value),
                () => renderer.RenderArchiveAsync(target, feedFormat, page, PublicUrls.For(context.Request, options.Value), CancellationToken.None))
            : default;
        if (admitted.Refusal is { } refusal) return refusal;
        if (admitted.Feed is not { } feed)
        {
            return Problem(context, StatusCodes.Status404NotFound, pages == 0
                ? $"No archive of '{target.Slug}' yet: it has fewer items than one archive page holds.\n"
                : $"No archive page {context.Request.RouteValues["page"]} of '{target.Slug}': pages 1 to {pages} exist (1 is the oldest).\n");
        }
        return FeedResponse.Send(context, feed, limiter);
    }

    private static async Task<IResult> GetOpmlAsync(
        HttpContext context, FeedRenderer renderer, FeedCache cache, RenderAdmission admission, FeedRateLimiter limiter, IOptions<PublishingOptions> options)
    {
        if (TryGetCurrent(cache, context.Request, options.Value, out var current)) return FeedResponse.Send(context, current, limiter);
        if (!IsCanonicalPath(context.Request)) return Problem(context, StatusCodes.Status404NotFound, "The subscription list is at /feeds.opml.\n");

        var urls = PublicUrls.For(context.Request, options.Value);
        var admitted = await admission.GetOrRenderAsync(context, CacheKey(context.Request, options.Value),
            async () => await renderer.RenderOpmlAsync(urls, CancellationToken.None));
        return admitted.Feed is { } feed ? FeedResponse.Send(context, feed, limiter) : admitted.Refusal!;
    }

    /// <summary>One cache entry per distinct document address (see <see cref="PublicUrls.CacheKeyParts"/>).</summary>
    private static string CacheKey(HttpRequest request, PublishingOptions options)
    {
        var parts = new KeyParts();
        return string.Concat(parts[..PublicUrls.CacheKeyParts(request, options, parts)]);
    }

    /// <summary>The current rendering at the request's <see cref="CacheKey"/>, looked up with the key written on the stack.</summary>
    private static bool TryGetCurrent(FeedCache cache, HttpRequest request, PublishingOptions options, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RenderedFeed? feed)
    {
        const int MaxStackKey = 512;
        var parts = new KeyParts();
        var count = PublicUrls.CacheKeyParts(request, options, parts);
        var length = 0;
        foreach (var part in parts[..count]) length += part?.Length ?? 0;
        if (length > MaxStackKey) return cache.TryGetCurrent(CacheKey(request, options), out feed);

        Span<char> key = stackalloc char[length];
        var written = 0;
        foreach (var part in parts[..count])
        {
            part.AsSpan().CopyTo(key[written..]);
            written += part?.Length ?? 0;
        }
        return cache.TryGetCurrent(key, out feed);
    }

    [System.Runtime.CompilerServices.InlineArray(PublicUrls.MaxCacheKeyParts)]
    private struct KeyParts
    {
        private string? _first;
    }

    /// <summary>
    /// The address as the service writes it: no trailing slash (routing would accept one) — so each document has one address
    /// in the cache and in the rate limiter. Formats are matched exactly by <see cref="FeedFormat.Find"/>.
    /// </summary>
    private static bool IsCanonicalPath(HttpRequest request) => request.Path.Value is { } path && !path.EndsWith('/');

    private static IResult NoFeed(HttpContext context, SourceCatalog catalog)
    {
        var known = string.Join(", ", catalog.Sections.Select(s => s.Slug).Append(SectionDefinition.AllSlug));
        return Problem(context, StatusCodes.Status404NotFound, $"No feed at {context.Request.Path}. Sections: {known}. Formats: rss, atom, json (archives: rss, atom).\n");
    }

    /// <summary>
    /// A 400 or 404 as one line of plain text (TypedResults.BadRequest(string) would send a JSON string literal), readable
    /// by the browser partners the feeds are open to (checklist 6.12), as the 429 is.
    /// </summary>
    private static IResult Problem(HttpContext context, int statusCode, string message)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return TypedResults.Text(message, "text/plain; charset=utf-8", statusCode: statusCode);
    }
}
