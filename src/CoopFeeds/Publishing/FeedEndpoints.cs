using CoopFeeds.Sources;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CoopFeeds.Publishing;

/// <summary><c>GET|HEAD /feeds/{slug}.{rss|atom|json}</c>: rendered once per change, served from memory, revalidated cheaply.</summary>
public static class FeedEndpoints
{
    public static IEndpointRouteBuilder MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        // MapGet alone does not answer HEAD; feed readers and validators use it.
        app.MapMethods("/feeds/{slug}.{format}", [HttpMethods.Get, HttpMethods.Head], GetFeedAsync);
        return app;
    }

    private static async Task<IResult> GetFeedAsync(
        string slug,
        string format,
        HttpContext context,
        SourceCatalogProvider catalogs,
        FeedRenderer renderer,
        FeedCache cache,
        IOptions<PublishingOptions> options,
        CancellationToken cancellationToken)
    {
        var feedFormat = FeedFormat.Find(format);
        var catalog = catalogs.Current;
        var target = FeedTarget.Find(catalog, slug);
        if (feedFormat is null || target is null)
        {
            var known = string.Join(", ", catalog.Sections.Select(s => s.Slug).Append(Core.Sources.SectionDefinition.AllSlug));
            return TypedResults.NotFound($"No feed at {context.Request.Path}. Sections: {known}. Formats: rss, atom, json.\n");
        }

        var (query, problems) = FeedQuery.Parse(context.Request.Query, options.Value.MaxLimit);
        if (query is null)
            return TypedResults.BadRequest("Bad query: " + string.Join("; ", problems) + "\n");

        var urls = PublicUrls.For(context.Request, options.Value);
        var rawQuery = context.Request.QueryString.Value ?? "";
        var key = $"{urls.Base}|{target.Slug}.{feedFormat.Extension}{rawQuery}";
        var feed = await cache.GetOrRenderAsync(key, () => renderer.RenderAsync(target, feedFormat, query, rawQuery, urls, CancellationToken.None));

        var headers = context.Response.GetTypedHeaders();
        headers.ETag = new EntityTagHeaderValue(feed.ETag);
        headers.LastModified = feed.LastModified;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = feed.MaxAge };
        context.Response.Headers.AccessControlAllowOrigin = "*";

        if (IsNotModified(context.Request, feed))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(feed.Body, feed.ContentType);
    }

    /// <summary>
    /// RFC 9110 §13.1.1 and §13.2.2: If-None-Match is compared weakly and, when present, If-Modified-Since is ignored.
    /// </summary>
    internal static bool IsNotModified(HttpRequest request, RenderedFeed feed)
    {
        var typed = request.GetTypedHeaders();
        if (request.Headers.IfNoneMatch.Count > 0)
        {
            var tag = new EntityTagHeaderValue(feed.ETag);
            return typed.IfNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(tag, useStrongComparison: false));
        }
        if (typed.IfModifiedSince is { } since)
        {
            // HTTP dates have whole seconds.
            var lastModified = feed.LastModified.ToUniversalTime();
            var truncated = new DateTimeOffset(lastModified.Ticks - lastModified.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            return truncated <= since;
        }
        return false;
    }
}
