using CoopFeeds.Core;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

/// <summary>A whole listing read (all pages followed): the items in page order, or why there are none.</summary>
public sealed record ListingRead
{
    /// <summary>
    /// What fetching the first page gave: the read's outcome (its kind, status, detail, validators, Retry-After), and the
    /// bytes as fetched, for <c>preview --save</c> and the drift check. A read whose first page failed has no items.
    /// </summary>
    public required FetchResult FirstPage { get; init; }

    /// <summary>How long the site asked us to wait: Retry-After on a 429 or 503 of any page, or of its robots.txt.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyList<Item> Items { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<PageRead> Pages { get; init; } = [];

    /// <summary>What the selectors matched on the first page (null when nothing was parsed).</summary>
    public SelectorMatches? FirstPageMatches { get; init; }
}

/// <summary>
/// Fetches a listing page by page and parses, extracts and normalizes each, in the stages' fixed order, with no
/// storage; which page comes next and how pages merge is <see cref="ListingMerger"/>'s. Shared by ingestion,
/// <c>preview</c> and <c>check</c>, so they show exactly what ingestion would store. A page nested deeper than any listing
/// is not parsed (<see cref="ListingDocument.CheckNesting"/>): the first page's refusal is the read's outcome,
/// <see cref="OutcomeKind.TooDeeplyNested"/>, and a later page's a warning. Details name URLs redacted. A read is bounded as a whole by
/// Ingestion:RunTimeout, on the clock every other wait uses.
/// </summary>
public sealed class ListingReader(ListingFetcher fetcher, IOptions<IngestionOptions> options, TimeProvider clock)
{
    private readonly NormalizationLimits limits = new()
    {
        MaxTitleChars = options.Value.MaxTitleChars,
        MaxSummaryChars = options.Value.MaxSummaryChars,
    };

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
            retryAfter = fetched.Outcome.RetryAfter ?? retryAfter;
            if (request.Number == 1)
            {
                first = fetched;
                if (!fetched.HasBody)
                    return Failed(fetched, fetched.Outcome);
            }
            else if (!fetched.HasBody)
            {
                listing.NotRead($"{fetched.Outcome.Kind} {fetched.Outcome.Detail}");
                break;
            }

            if (ListingDocument.CheckNesting(fetched.Body!, fetched.ContentType) is { } refusal)
            {
                if (request.Number == 1) return Failed(fetched, fetched.Outcome with { Kind = OutcomeKind.TooDeeplyNested, Detail = refusal });
                listing.NotRead(refusal);
                break;
            }

            var address = request.Address ?? fetched.FinalUrl ?? request.Location;
            using var document = await ListingDocument.ParseAsync(fetched.Body!, address, fetched.ContentType, cancellationToken);
            var page = ListingExtractor.Extract(document, source.Selectors, request.Number);
            listing.Add(page, ItemNormalizer.Normalize(source, page.Items, clock.GetUtcNow(), limits));
        }

        var merged = listing.Merged();
        return new ListingRead
        {
            FirstPage = first!, // the merger always starts with page 1
            // A later page's 429 or 503 ends the listing there; its Retry-After still holds for the next run.
            RetryAfter = retryAfter,
            Items = merged.Items,
            Warnings = merged.Warnings,
            Pages = merged.Pages,
            FirstPageMatches = merged.FirstPageMatches,
        };
    }

    /// <summary>A read that ended on its first page: nothing to store, and the stored items are kept. Its detail names URLs redacted.</summary>
    private static ListingRead Failed(FetchResult fetched, FetchOutcome outcome) => new()
    {
        FirstPage = fetched with { Outcome = outcome with { Detail = outcome.Detail is null ? null : UrlRedactor.RedactText(outcome.Detail) } },
        RetryAfter = outcome.RetryAfter,
    };
}
