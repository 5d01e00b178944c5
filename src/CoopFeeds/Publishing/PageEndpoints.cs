using CoopFeeds.Serving;
using CoopFeeds.Sources;

namespace CoopFeeds.Publishing;

/// <summary>
/// The HTML pages people read: <c>/</c> lists the sections, <c>/sections/{slug}</c> shows one (see <see cref="PageRenderer"/>).
/// Cached and revalidated like the feeds (<see cref="DocumentRequest"/>): rendered once per change, each Host its own page
/// when Publishing:PublicBaseUrl is unset; a query, which they do not read, names no other page.
/// </summary>
public static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/", [HttpMethods.Get, HttpMethods.Head], IndexAsync).BuildsPublicUrls();
        app.MapMethods("/sections/{slug}", [HttpMethods.Get, HttpMethods.Head], SectionAsync).BuildsPublicUrls();
        return app;
    }

    private static async Task<IResult> IndexAsync([AsParameters] DocumentRequest document, PageRenderer pages)
    {
        if (document.TryGetCurrent(DocumentKind.Page, out var current)) return document.Send(current);

        var urls = document.Urls;
        var admitted = await document.AdmitAsync(DocumentKind.Page, async () => await pages.RenderIndexAsync(urls, CancellationToken.None));
        return admitted.Feed is { } feed ? document.Send(feed) : admitted.Refusal!;
    }

    private static async Task<IResult> SectionAsync(string slug, [AsParameters] DocumentRequest document, PageRenderer pages, SourceCatalogProvider catalogs)
    {
        if (document.TryGetCurrent(DocumentKind.Page, out var current)) return document.Send(current);

        var urls = document.Urls;
        var admitted = catalogs.Current.FindSection(slug) is null
            ? default
            : await document.AdmitAsync(DocumentKind.Page, () => pages.RenderSectionAsync(slug, urls, CancellationToken.None));
        if (admitted.Refusal is { } refusal) return refusal;
        return admitted.Feed is { } feed
            ? document.Send(feed)
            : TypedResults.NotFound($"No section '{slug}'. Sections: {string.Join(", ", catalogs.Current.Sections.Select(s => s.Slug))}.\n");
    }
}
