using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Serving;
using CoopFeeds.Sources;
using CoopFeeds.Telemetry;

namespace CoopFeeds.Publishing;

/// <summary>
/// <c>GET|HEAD /feeds/{slug}.{rss|atom|json}</c>, the RFC 5005 archives <c>/feeds/{slug}/archive/{n}.{rss|atom}</c> and
/// <c>/feeds.opml</c>: rendered once per change, served from memory, revalidated cheaply (see <see cref="DocumentRequest"/>
/// and <see cref="FeedResponse"/>).
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

    /// <summary>The section (or combined feed) and format the address names, written as the service writes it; else a 404 naming what exists.</summary>
    /// <param name="archive">Archives are RSS and Atom: RFC 5005 is an Atom mechanism, carried in RSS by appendix B; JSON Feed has none.</param>
    private static bool TryFind(
        DocumentRequest request, SourceCatalog catalog, string slug, string format, bool archive,
        [NotNullWhen(true)] out FeedTarget? target, [NotNullWhen(true)] out FeedFormat? feedFormat, [NotNullWhen(false)] out IResult? notFound)
    {
        feedFormat = FeedFormat.Find(format);
        target = FeedTarget.Find(catalog, slug);
        notFound = feedFormat is null || (archive && feedFormat == FeedFormat.Json) || target is null || !IsCanonicalPath(request.Request)
            ? NoFeed(request.Context, catalog)
            : null;
        return notFound is null;
    }

    private static async Task<IResult> GetFeedAsync(
        string slug, string format, [AsParameters] DocumentRequest request, SourceCatalogProvider catalogs, FeedRenderer renderer, CoopFeedsMetrics metrics)
    {
        if (request.TryGetCurrent(DocumentKind.Feed, out var current)) return Send(current);
        if (!TryFind(request, catalogs.Current, slug, format, archive: false, out var target, out var feedFormat, out var notFound)) return notFound;

        var (query, problems) = FeedQuery.Parse(request.Request.Query, request.Settings.MaxLimit);
        if (query is null)
            return Problem(request.Context, StatusCodes.Status400BadRequest, "Bad query: " + string.Join("; ", problems) + "\n");

        var urls = request.Urls;
        var rawQuery = request.Request.QueryString.Value ?? "";
        // Rendering is shared by concurrent requests, so one client's disconnect must not cancel it.
        var admitted = await request.AdmitAsync(DocumentKind.Feed,
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

    private static async Task<IResult> GetArchiveAsync(
        string slug, int page, string format, [AsParameters] DocumentRequest request, SourceCatalogProvider catalogs, FeedRenderer renderer)
    {
        if (request.TryGetCurrent(DocumentKind.Feed, out var current)) return request.Send(current);
        if (!TryFind(request, catalogs.Current, slug, format, archive: true, out var target, out var feedFormat, out var notFound)) return notFound;
        if (request.Request.QueryString.HasValue)
            return Problem(request.Context, StatusCodes.Status400BadRequest, "Bad query: archive documents take no parameters\n");

        // Only pages that exist, written as the links write them ("1", not "01" or "+1"), are rendered and cached: open-ended
        // spellings must neither fill the cache nor each get rate-limit permits of their own. So the count that says which
        // pages exist is read before any permit is taken, in a rendering slot like every other store read of an uncached document.
        var (pages, busy) = await request.ReadAsync(() => renderer.FullArchivePagesAsync(target, request.Context.RequestAborted));
        if (busy is not null) return busy;
        var written = request.Request.RouteValues["page"];
        var admitted = page >= 1 && page <= pages && Equals(written, page.ToString(CultureInfo.InvariantCulture))
            ? await request.AdmitAsync(DocumentKind.Feed,
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

    private static async Task<IResult> GetOpmlAsync([AsParameters] DocumentRequest request, FeedRenderer renderer)
    {
        // A page, not a feed: it reads no query, so no query makes it a document of its own.
        if (request.TryGetCurrent(DocumentKind.Page, out var current)) return request.Send(current);
        if (!IsCanonicalPath(request.Request)) return Problem(request.Context, StatusCodes.Status404NotFound, "The subscription list is at /feeds.opml.\n");

        var urls = request.Urls;
        var admitted = await request.AdmitAsync(DocumentKind.Page,
            async () => await renderer.RenderOpmlAsync(urls, CancellationToken.None));
        return admitted.Feed is { } feed ? request.Send(feed) : admitted.Refusal!;
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
