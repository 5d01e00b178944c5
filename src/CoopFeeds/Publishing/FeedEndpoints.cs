using System.Diagnostics.CodeAnalysis;
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

    /// <summary>What every feed handler is given, bound per request; a struct, so a document served from memory costs no allocation for it.</summary>
    private readonly record struct FeedRequest(
        HttpContext Context,
        SourceCatalogProvider Catalogs,
        FeedRenderer Renderer,
        FeedCache Cache,
        RenderAdmission Admission,
        FeedRateLimiter Limiter,
        IOptions<PublishingOptions> Options)
    {
        public HttpRequest Request => Context.Request;

        public PublishingOptions Settings => Options.Value;

        public PublicUrls Urls => PublicUrls.For(Request, Settings);

        public string CacheKey => FeedEndpoints.CacheKey(Request, Settings);

        /// <summary>
        /// The document at the request's own address when it is rendered and current: served many times per rendering, it is
        /// looked for before anything is parsed.
        /// </summary>
        public bool TryGetCurrent([NotNullWhen(true)] out RenderedFeed? feed) => FeedEndpoints.TryGetCurrent(Cache, Request, Settings, out feed);

        /// <summary>The section (or combined feed) and format the address names, written as the service writes it; else a 404 naming what exists.</summary>
        /// <param name="archive">Archives are RSS and Atom: RFC 5005 is an Atom mechanism, carried in RSS by appendix B; JSON Feed has none.</param>
        public bool TryFind(
            string slug, string format, bool archive,
            [NotNullWhen(true)] out FeedTarget? target, [NotNullWhen(true)] out FeedFormat? feedFormat, [NotNullWhen(false)] out IResult? notFound)
        {
            var catalog = Catalogs.Current;
            feedFormat = FeedFormat.Find(format);
            target = FeedTarget.Find(catalog, slug);
            notFound = feedFormat is null || (archive && feedFormat == FeedFormat.Json) || target is null || !IsCanonicalPath(Request)
                ? NoFeed(Context, catalog)
                : null;
            return notFound is null;
        }

        public IResult Send(RenderedFeed feed) => FeedResponse.Send(Context, feed, Limiter);
    }

    private static async Task<IResult> GetFeedAsync(string slug, string format, [AsParameters] FeedRequest request, CoopFeedsMetrics metrics)
    {
        if (request.TryGetCurrent(out var current)) return Send(current);
        if (!request.TryFind(slug, format, archive: false, out var target, out var feedFormat, out var notFound)) return notFound;

        var (query, problems) = FeedQuery.Parse(request.Request.Query, request.Settings.MaxLimit);
        if (query is null)
            return Problem(request.Context, StatusCodes.Status400BadRequest, "Bad query: " + string.Join("; ", problems) + "\n");

        var renderer = request.Renderer;
        var urls = request.Urls;
        var rawQuery = request.Request.QueryString.Value ?? "";
        // Rendering is shared by concurrent requests, so one client's disconnect must not cancel it.
        var admitted = await request.Admission.GetOrRenderAsync(request.Context, request.CacheKey,
            async () => await renderer.RenderAsync(target, feedFormat, query, rawQuery, urls, CancellationToken.None));
        if (admitted.Feed is { } feed) return Send(feed);
        metrics.RecordFeedRequest(slug, format, notModified: false);
        return admitted.Refusal!;

        IResult Send(RenderedFeed rendered)
        {
            var result = FeedResponse.Send(request.Context, rendered, request.Limiter, out var notModified);
            metrics.RecordFeedRequest(slug, format, notModified);
            return result;
        }
    }

    private static async Task<IResult> GetArchiveAsync(string slug, int page, string format, [AsParameters] FeedRequest request)
    {
        if (request.TryGetCurrent(out var current)) return request.Send(current);
        if (!request.TryFind(slug, format, archive: true, out var target, out var feedFormat, out var notFound)) return notFound;
        if (request.Request.QueryString.HasValue)
            return Problem(request.Context, StatusCodes.Status400BadRequest, "Bad query: archive documents take no parameters\n");

        // Only pages that exist, written as the links write them ("1", not "01" or "+1"), are rendered and cached: open-ended
        // spellings must neither fill the cache nor each get rate-limit permits of their own.
        var renderer = request.Renderer;
        var pages = await renderer.FullArchivePagesAsync(target, request.Context.RequestAborted);
        var written = request.Request.RouteValues["page"];
        var admitted = page >= 1 && page <= pages && Equals(written, page.ToString(CultureInfo.InvariantCulture))
            ? await request.Admission.GetOrRenderAsync(request.Context, request.CacheKey,
                () => renderer.RenderArchiveAsync(target, feedFormat, page, request.Urls, CancellationToken.None))
            : default;
        if (admitted.Refusal is { } refusal) return refusal;
        if (admitted.Feed is not { } feed)
        {
            return Problem(request.Context, StatusCodes.Status404NotFound, pages == 0
                ? $"No archive of '{target.Slug}' yet: it has fewer items than one archive page holds.\n"
                : $"No archive page {written} of '{target.Slug}': pages 1 to {pages} exist (1 is the oldest).\n");
        }
        return request.Send(feed);
    }

    private static async Task<IResult> GetOpmlAsync([AsParameters] FeedRequest request)
    {
        if (request.TryGetCurrent(out var current)) return request.Send(current);
        if (!IsCanonicalPath(request.Request)) return Problem(request.Context, StatusCodes.Status404NotFound, "The subscription list is at /feeds.opml.\n");

        var renderer = request.Renderer;
        var urls = request.Urls;
        var admitted = await request.Admission.GetOrRenderAsync(request.Context, request.CacheKey,
            async () => await renderer.RenderOpmlAsync(urls, CancellationToken.None));
        return admitted.Feed is { } feed ? request.Send(feed) : admitted.Refusal!;
    }

    /// <summary>One cache entry per distinct document address (see <see cref="PublicUrls.CacheKeyParts"/>).</summary>
    private static string CacheKey(HttpRequest request, PublishingOptions options)
    {
        var parts = new KeyParts();
        return string.Concat(parts[..PublicUrls.CacheKeyParts(request, options, parts)]);
    }

    /// <summary>The current rendering at the request's <see cref="CacheKey"/>, looked up with the key written on the stack.</summary>
    private static bool TryGetCurrent(FeedCache cache, HttpRequest request, PublishingOptions options, [NotNullWhen(true)] out RenderedFeed? feed)
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
