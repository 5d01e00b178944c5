using CoopFeeds.Core;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

/// <summary>A whole listing read (all pages followed): the items in page order, or why there are none.</summary>
public sealed record ListingRead
{
    public required OutcomeKind Kind { get; init; }
    public string? Detail { get; init; }
    public int? StatusCode { get; init; }

    /// <summary>How long the site asked us to wait (Retry-After on a 429 or 503 of any page, or of its robots.txt).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyList<Item> Items { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<PageRead> Pages { get; init; } = [];

    /// <summary>What the selectors matched on the first page (null when nothing was parsed).</summary>
    public SelectorMatches? FirstPageMatches { get; init; }

    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>The first page's bytes as fetched, for <c>preview --save</c>.</summary>
    public byte[]? FirstPageBody { get; init; }
}

/// <summary>
/// Fetches a listing page by page and parses, extracts and normalizes each, in the stages' fixed order, with no
/// storage; which page comes next and how pages merge is <see cref="ListingMerger"/>'s. Shared by ingestion,
/// <c>preview</c> and <c>check</c>, so they show exactly what ingestion would store. A read is bounded as a whole by
/// Ingestion:RunTimeout, on the clock every other wait uses.
/// </summary>
public sealed class ListingReader(ListingFetcher fetcher, IOptions<IngestionOptions> options, TimeProvider clock)
{
    /// <param name="knownKeys">Identity keys already stored; null on a source's first run (back-fill every page up to MaxPages).</param>
    public async Task<ListingRead> ReadAsync(
        ConfiguredSource source, ConditionalValidators validators, IReadOnlySet<string>? knownKeys, CancellationToken cancellationToken)
    {
        var runTimeout = options.Value.RunTimeout;
        using var deadline = new CancellationTokenSource(runTimeout, clock);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var listing = new ListingMerger(source, knownKeys);
        FetchResult? first = null;
        TimeSpan? retryAfter = null;
        while (listing.Next is { } request)
        {
            FetchResult fetched;
            try
            {
                fetched = await fetcher.FetchAsync(request.Location, request.Number == 1 ? validators : ConditionalValidators.None, FetchPolicy.For(source), run.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                fetched = FetchResult.Failed(OutcomeKind.Timeout, $"the run did not finish within Ingestion:RunTimeout ({runTimeout:c})");
            }
            retryAfter = fetched.RetryAfter ?? retryAfter;
            if (request.Number == 1)
            {
                first = fetched;
                if (!fetched.HasBody)
                    return new ListingRead { Kind = fetched.Kind, Detail = fetched.Detail, StatusCode = fetched.StatusCode, RetryAfter = fetched.RetryAfter };
            }
            else if (!fetched.HasBody)
            {
                listing.NotRead($"{fetched.Kind} {fetched.Detail}");
                break;
            }

            var address = request.Address ?? fetched.FinalUrl ?? request.Location;
            using var document = await ListingDocument.ParseAsync(new MemoryStream(fetched.Body!), address, fetched.ContentType, cancellationToken);
            var page = ListingExtractor.Extract(document, source.Selectors, request.Number);
            listing.Add(page, ItemNormalizer.Normalize(source, page.Items, clock.GetUtcNow()));
        }

        var merged = listing.Merged();
        return new ListingRead
        {
            Kind = OutcomeKind.Success,
            StatusCode = first?.StatusCode,
            // A later page's 429 or 503 ends the listing there; its Retry-After still holds for the next run.
            RetryAfter = retryAfter,
            Items = merged.Items,
            Warnings = merged.Warnings,
            Pages = merged.Pages,
            FirstPageMatches = merged.FirstPageMatches,
            ETag = first?.ETag,
            LastModified = first?.LastModified,
            FirstPageBody = first?.Body,
        };
    }
}
