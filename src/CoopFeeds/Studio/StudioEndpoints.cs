using System.Text;
using System.Text.Json;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// The studio's JSON API: fetch a page, suggest sources for it, preview a source on it, look at a sanitized snapshot of it.
/// Every page is read through <see cref="StudioFetcher"/>, and every listing through ingestion's own reader, so what the
/// studio shows is what ingestion would store.
/// </summary>
internal static class StudioEndpoints
{
    private const int DefaultTop = 3;

    public static async Task<IResult> FetchAsync(HttpRequest request, StudioFetcher fetcher, IOptions<StudioOptions> options, CancellationToken cancellationToken)
    {
        var (body, refused) = await StudioJson.ReadAsync(request, StudioJson.Api.FetchRequest, options.Value.MaxRequestBytes, cancellationToken);
        if (body is null) return refused!;
        var (page, failed) = await fetcher.FetchAsync(body.Url, TokenOf(request), cancellationToken);
        if (page is null) return failed!;

        // Parsed once here for the character set the page is read in: the header's, else its BOM's or <meta>'s.
        var fetched = page.Fetched;
        using var document = await ListingDocument.ParseAsync(fetched.Body!, fetched.FinalUrl ?? page.Url, fetched.ContentType, cancellationToken);
        return TypedResults.Json(new FetchResponse(
            page.FetchId,
            fetched.Outcome.StatusCode,
            UrlRedactor.Redact(fetched.FinalUrl ?? page.Url),
            document.CharacterSet,
            page.Bytes,
            (long)page.Took.TotalMilliseconds), StudioJson.Api.FetchResponse);
    }

    public static async Task<IResult> SuggestAsync(
        HttpRequest request, StudioFetcher fetcher, ListingReader reader, IOptions<StudioOptions> options, CancellationToken cancellationToken)
    {
        var (body, refused) = await StudioJson.ReadAsync(request, StudioJson.Api.SuggestRequest, options.Value.MaxRequestBytes, cancellationToken);
        if (body is null) return refused!;
        if (body.Top is < 1) return StudioJson.Refuse(StatusCodes.Status400BadRequest, "top must be at least 1");
        var (page, failed) = await fetcher.PageAsync(body.Url, body.FetchId, TokenOf(request), cancellationToken);
        if (page is null) return failed!;

        var read = await reader.SuggestAsync(
            page.Url, baseUrl: null, fetcher.PolicyFor(page.Url), body.Top ?? DefaultTop, page.Fetched, fetcher.LaterPages(page.Url, TokenOf(request)), cancellationToken);
        if (read.Result is not { } suggestion)
            return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"the page could not be read: {read.Failure}");
        if (suggestion.Candidates.Count == 0)
            return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, suggestion.Problems.Count > 0 ? suggestion.Problems : ["no list of items was found on the page"]);
        // The `suggest --json` object, byte for byte.
        return TypedResults.Text(JsonSerializer.Serialize(suggestion, StudioJson.Suggestion), "application/json", Encoding.UTF8);
    }

    public static async Task<IResult> PreviewAsync(
        HttpRequest request, StudioFetcher fetcher, ListingReader reader, SourceCatalogProvider catalogs, IOptions<StudioOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, refused) = await StudioJson.ReadAsync(request, StudioJson.Api.PreviewRequest, options.Value.MaxRequestBytes, cancellationToken);
        if (body is null) return refused!;
        var (page, failed) = await fetcher.PageAsync(body.Url, body.FetchId, TokenOf(request), cancellationToken);
        if (page is null) return failed!;
        var (source, problems) = StudioSource.Parse(body.Source, page.Url, options.Value.AllowPrivateNetworks, catalogs.MinInterval);
        if (source is null) return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, problems);

        // The first page from the bytes kept; later pages (NextPage, MaxPages) fetched within the studio's policy and limit.
        var read = await reader.ReadAsync(source, page.Fetched, fetcher.LaterPages(page.Url, TokenOf(request)), cancellationToken);
        if (read.FirstPage.Outcome.Kind != OutcomeKind.Success)
            return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"{read.FirstPage.Outcome.Kind}: {read.FirstPage.Outcome.Detail}");
        return TypedResults.Json(PreviewResponse.From(read, source), StudioJson.Api.PreviewResponse);
    }

    public static async Task<IResult> SnapshotAsync(
        HttpRequest request, StudioFetcher fetcher, SourceCatalogProvider catalogs, IOptions<StudioOptions> options, CancellationToken cancellationToken)
    {
        var (body, refused) = await StudioJson.ReadAsync(request, StudioJson.Api.SnapshotRequest, options.Value.MaxRequestBytes, cancellationToken);
        if (body is null) return refused!;
        if (!ListingExtractor.Fields.Contains(body.Focus))
            return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"focus must be one of {string.Join(", ", ListingExtractor.Fields)} (got '{body.Focus}')");
        var (page, failed) = await fetcher.PageAsync(url: null, body.FetchId, TokenOf(request), cancellationToken);
        if (page is null) return failed!;
        var (source, problems) = StudioSource.Parse(body.Source, page.Url, options.Value.AllowPrivateNetworks, catalogs.MinInterval);
        if (source is null) return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, problems);

        var fetched = page.Fetched;
        using var document = await ListingDocument.ParseAsync(fetched.Body!, fetched.FinalUrl ?? page.Url, fetched.ContentType, cancellationToken);
        var html = PageSnapshot.Render(document, ListingExtractor.ElementsMatchedBy(document, source.Selectors, body.Focus));
        request.HttpContext.Response.Headers.ContentSecurityPolicy = PageSnapshot.ContentSecurityPolicy;
        return TypedResults.Text(html, "text/html", Encoding.UTF8);
    }

    /// <summary>The bearer token, which <see cref="StudioTokenCheck"/> has already checked.</summary>
    private static string TokenOf(HttpRequest request) => StudioTokenCheck.TokenOf(request)!;
}
