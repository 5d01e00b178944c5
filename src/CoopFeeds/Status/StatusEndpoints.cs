using CoopFeeds.Serving;

namespace CoopFeeds.Status;

/// <summary>
/// What maintainers read: <c>/api/sources</c> (JSON), <c>/sources</c> (one HTML table, readable at a glance),
/// <c>/sources.atom</c> (one entry per change of a source's state: degraded, failing, recovered) and <c>/metrics</c>.
/// None of them fetches anything: they read the store, the sources file and the scheduler (<see cref="StatusRenderer"/>).
/// The documents are cached and revalidated like the feeds (<see cref="DocumentRequest"/>), and rendered afresh after each
/// recorded run or move of the scheduler (<see cref="RenderedFrom.SourceStates"/>); none but the status feed writes absolute
/// links, so the others are one document whatever the Host.
/// </summary>
public static class StatusEndpoints
{
    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/sources", [HttpMethods.Get, HttpMethods.Head], ListAsync);
        app.MapMethods("/api/sources/{id}", [HttpMethods.Get, HttpMethods.Head], GetAsync);
        app.MapMethods("/sources", [HttpMethods.Get, HttpMethods.Head], PageAsync);
        app.MapMethods("/sources.atom", [HttpMethods.Get, HttpMethods.Head], FeedAsync).BuildsPublicUrls();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static async Task<IResult> ListAsync([AsParameters] DocumentRequest document, StatusRenderer status)
    {
        if (document.TryGetCurrent(DocumentKind.Status, out var current)) return document.Send(current);
        var admitted = await document.AdmitAsync(DocumentKind.Status, async () => await status.RenderListAsync(CancellationToken.None));
        return admitted.Feed is { } feed ? document.Send(feed) : admitted.Refusal!;
    }

    private static async Task<IResult> GetAsync(string id, [AsParameters] DocumentRequest document, StatusRenderer status)
    {
        if (document.TryGetCurrent(DocumentKind.Status, out var current)) return document.Send(current);

        // Only a source that exists takes a permit and a cache entry: any id can be asked for. One in the sources file is
        // known at once; one removed from it since it ran is looked up in a rendering slot, like every store read of an
        // uncached document.
        var known = status.IsConfigured(id);
        if (!known)
        {
            (known, var busy) = await document.ReadAsync(() => status.HasRunAsync(id, document.Context.RequestAborted));
            if (busy is not null) return busy;
        }
        var admitted = known ? await document.AdmitAsync(DocumentKind.Status, () => status.RenderSourceAsync(id, CancellationToken.None)) : default;
        if (admitted.Refusal is { } refusal) return refusal;
        return admitted.Feed is { } feed ? document.Send(feed) : TypedResults.NotFound($"No source '{id}'.\n");
    }

    private static async Task<IResult> PageAsync([AsParameters] DocumentRequest document, StatusRenderer status)
    {
        if (document.TryGetCurrent(DocumentKind.Status, out var current)) return document.Send(current);
        var admitted = await document.AdmitAsync(DocumentKind.Status, async () => await status.RenderPageAsync(CancellationToken.None));
        return admitted.Feed is { } feed ? document.Send(feed) : admitted.Refusal!;
    }

    /// <summary>Served like the section feeds: weak If-None-Match lists, Last-Modified, Cache-Control, content codings, CORS.</summary>
    private static async Task<IResult> FeedAsync([AsParameters] DocumentRequest document, StatusRenderer status)
    {
        if (document.TryGetCurrent(DocumentKind.StatusFeed, out var current)) return document.Send(current);
        var urls = document.Urls;
        var admitted = await document.AdmitAsync(DocumentKind.StatusFeed, async () => await status.RenderFeedAsync(urls, CancellationToken.None));
        return admitted.Feed is { } feed ? document.Send(feed) : admitted.Refusal!;
    }
}
