using CoopFeeds.Fetching;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// The studio, where maintainers add and repair sources in the browser: its settings (<c>Studio:</c>, checked at start),
/// the fetched-page store and the fetch limit, and its JSON API under <c>/studio/api</c>, mapped only when
/// <c>Studio:Enabled</c> is true. Listings are read by ingestion's <c>ListingReader</c>, which <c>AddIngestion</c> registers.
/// </summary>
public static class StudioRegistration
{
    public static WebApplicationBuilder AddStudio(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StudioOptions>()
            .Bind(builder.Configuration.GetSection(StudioOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<StudioOptions>, StudioOptionsValidator>();
        builder.AddFetching(); // registers the TimeProvider too
        builder.Services.AddSingleton<FetchedPages>();
        builder.Services.AddSingleton<StudioFetchLimit>();
        builder.Services.AddSingleton<StudioFetcher>();
        return builder;
    }

    /// <summary>
    /// <c>/studio/api/*</c>, every request with the bearer token; nothing when the studio is off, so every such URL is 404.
    /// Reading the settings here checks them, so a studio switched on without a token stops the start.
    /// </summary>
    public static IEndpointRouteBuilder MapStudioApi(this IEndpointRouteBuilder endpoints)
    {
        if (!endpoints.ServiceProvider.GetRequiredService<IOptions<StudioOptions>>().Value.Enabled) return endpoints;

        var api = endpoints.MapGroup("/studio/api").AddEndpointFilter<StudioTokenCheck>();
        api.MapPost("/fetch", StudioEndpoints.FetchAsync);
        api.MapPost("/suggest", StudioEndpoints.SuggestAsync);
        api.MapPost("/preview", StudioEndpoints.PreviewAsync);
        api.MapPost("/snapshot", StudioEndpoints.SnapshotAsync);
        api.MapGet("/sources", StudioSourcesEndpoints.List);
        api.MapGet("/sources/{id}", StudioSourcesEndpoints.GetAsync);
        api.MapPost("/sources", StudioSourcesEndpoints.SaveAsync);
        // Every other address or method under the group, so that it too answers 401 before anything else: the filter runs
        // only on endpoints that matched. Literal routes take precedence over this one.
        api.Map("/{**rest}", Unanswered);
        return endpoints;
    }

    /// <summary>For a caller with the token: 405 for an address of the API asked with another method, else 404.</summary>
    private static IResult Unanswered(string? rest)
    {
        var segments = (rest ?? "").Split('/');
        var known = segments is ["fetch" or "suggest" or "preview" or "snapshot" or "sources"] or ["sources", { Length: > 0 }];
        return known
            ? StudioJson.Refuse(StatusCodes.Status405MethodNotAllowed, "this address of the studio API does not answer this method")
            : StudioJson.Refuse(StatusCodes.Status404NotFound, "the studio API has no such address");
    }
}
