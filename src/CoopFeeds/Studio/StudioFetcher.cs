using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// Every page the studio reads comes through here: fetched by <see cref="ListingFetcher"/>, as ingestion fetches (its size
/// and time caps, robots.txt, the per-host gate, redirects followed by hand and each hop checked by the network rule, the
/// rule again at connect time), within the token's <see cref="StudioFetchLimit"/>, and kept in <see cref="FetchedPages"/>.
/// </summary>
public sealed class StudioFetcher(
    ListingFetcher fetcher, FetchedPages pages, StudioFetchLimit limit, IOptions<StudioOptions> options, TimeProvider clock,
    IHostResolver resolver)
{
    /// <summary>
    /// What the studio's fetches may reach: public addresses only, whatever the URL names (an IP literal or <c>localhost</c>
    /// included); with Studio:AllowPrivateNetworks, what a source entry with this URL and <c>"AllowPrivateNetworks": true</c>
    /// reaches, so the preview reaches what ingestion of the saved source will.
    /// </summary>
    public FetchPolicy PolicyFor(Uri url) => new(
        options.Value.AllowPrivateNetworks ? NetworkRule.ReachOf(url, allowPrivateNetworks: true) : NetworkReach.Public,
        RespectRobots: true,
        FileRoot: null);

    /// <summary>
    /// True when a source on <paramref name="url"/> is one the studio reached only through Studio:AllowPrivateNetworks: its
    /// host is, or now resolves to, an address the network rule does not count as public. Only such a source is saved with
    /// <c>"AllowPrivateNetworks": true</c>; a public one saved while the allowance is on must not gain loopback and
    /// private reach for good should its name later point there.
    /// </summary>
    public async Task<bool> NeedsPrivateNetworksAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!options.Value.AllowPrivateNetworks) return false;
        if (NetworkRule.LiteralOf(url.IdnHost) is { } literal) return NetworkScopes.Of(literal) != NetworkScope.Public;
        var addresses = await resolver.ResolveAsync(url.IdnHost, cancellationToken);
        return addresses.Any(a => NetworkScopes.Of(a) != NetworkScope.Public);
    }

    /// <summary>Fetches <paramref name="text"/> (an absolute http(s) URL) and keeps the page; else the answer that refuses it.</summary>
    public async Task<(FetchedPage? Page, IResult? Refusal)> FetchAsync(string text, string token, CancellationToken cancellationToken)
    {
        // A file: URL would read this machine's disk; the fetcher refuses other schemes on redirects, this on the first hop.
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return (null, StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"'{UrlRedactor.RedactText(text)}' is not an absolute http(s) address"));
        if (NetworkRule.LiteralOf(url.IdnHost) is { } literal && NetworkScopes.Of(literal) is NetworkScope.LinkLocal or NetworkScope.Reserved)
        {
            // A saved source could name one (the network rule lets a source's own link-local URL reach it); the studio never does.
            return (null, StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity,
                $"fetching {UrlRedactor.Redact(url)} refused: {url.IdnHost} is a link-local or reserved address, which the studio never fetches"));
        }
        if (!limit.TryTake(token, out var wait))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            return (null, new RetryLater(seconds, $"more than {options.Value.FetchesPerWindow} fetches within {options.Value.FetchWindow:c} (Studio:FetchesPerWindow); try again in {seconds} s"));
        }

        var started = clock.GetTimestamp();
        var fetched = await fetcher.FetchAsync(url, ConditionalValidators.None, PolicyFor(url), cancellationToken);
        var took = clock.GetElapsedTime(started);
        if (!fetched.HasBody)
        {
            return (null, StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity,
                $"{fetched.Outcome.Kind}: {UrlRedactor.RedactText(fetched.Outcome.Detail ?? "the page could not be fetched")}"));
        }
        if (ListingDocument.CheckNesting(fetched.Body!, fetched.ContentType) is { } refusal)
            return (null, StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"{OutcomeKind.TooDeeplyNested}: {refusal}"));
        return (pages.Add(url, fetched, took), null);
    }

    /// <summary>
    /// Later pages of a listing read from a page of <paramref name="sourceUrl"/> (a preview's NextPage, suggest's page-2
    /// check): fetched within the studio's policy whatever the form says (robots.txt respected, the studio's reach), each
    /// counted against the token's limit; past it, a failed fetch, which ends the listing there with a warning.
    /// </summary>
    public ListingReader.LaterPageFetch LaterPages(Uri sourceUrl, string token) => async (location, cancellationToken) =>
    {
        if (!limit.TryTake(token, out var wait))
        {
            return FetchResult.Failed(OutcomeKind.TooManyRequests,
                $"not followed: more than {options.Value.FetchesPerWindow} fetches within {options.Value.FetchWindow:c} (Studio:FetchesPerWindow); try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s");
        }
        return await fetcher.FetchAsync(location, ConditionalValidators.None, PolicyFor(sourceUrl), cancellationToken);
    };

    /// <summary>The page a request names: one fetched before (<paramref name="fetchId"/>), or <paramref name="url"/> fetched now.</summary>
    public async Task<(FetchedPage? Page, IResult? Refusal)> PageAsync(string? url, string? fetchId, string token, CancellationToken cancellationToken)
    {
        if ((url is null) == (fetchId is null))
            return (null, StudioJson.Refuse(StatusCodes.Status400BadRequest, "give either \"url\" (fetched now) or \"fetchId\" (a page fetched before), not both"));
        if (url is not null) return await FetchAsync(url, token, cancellationToken);
        return pages.Find(fetchId!) is { } page
            ? (page, null)
            : (null, StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity,
                $"no fetched page '{fetchId}': it was never fetched, or it expired (kept {options.Value.FetchedPageLifetime:c}); fetch the page again"));
    }

    /// <summary>429 with Retry-After (RFC 6585 4) and the reason.</summary>
    private sealed class RetryLater(int seconds, string problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return StudioJson.Refuse(StatusCodes.Status429TooManyRequests, problem).ExecuteAsync(httpContext);
        }
    }
}
