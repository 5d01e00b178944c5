using CoopFeeds.Core;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;

namespace CoopFeeds.Ingestion;

/// <summary>A whole listing read (all pages followed): the items in page order, or why there are none.</summary>
public sealed record ListingRead
{
    /// <summary>
    /// What fetching the first page gave: the read's outcome (its kind, status, detail, validators, Retry-After), and the
    /// bytes as fetched, for <c>preview --save</c> and the drift check. A read whose first page failed has no items.
    /// </summary>
    public required FetchResult FirstPage { get; init; }

    public IReadOnlyList<Item> Items { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<PageRead> Pages { get; init; } = [];

    /// <summary>What the selectors matched on the first page (null when nothing was parsed).</summary>
    public SelectorMatches? FirstPageMatches { get; init; }
}

/// <summary>
/// Fetches a listing page by page and parses, extracts and normalizes each, in the stages' fixed order, with no
/// storage; which page comes next and how pages merge is <see cref="ListingMerger"/>'s. Shared by ingestion,
/// <c>preview</c> and <c>check</c>, so they show exactly what ingestion would store.
/// </summary>
public sealed class ListingReader(ListingFetcher fetcher, TimeProvider clock)
{
    /// <param name="knownKeys">Identity keys already stored; null on a source's first run (back-fill every page up to MaxPages).</param>
    public async Task<ListingRead> ReadAsync(
        ConfiguredSource source, ConditionalValidators validators, IReadOnlySet<string>? knownKeys, CancellationToken cancellationToken)
    {
        var listing = new ListingMerger(source, knownKeys);
        FetchResult? first = null;
        while (listing.Next is { } request)
        {
            var fetched = await fetcher.FetchAsync(request.Location, request.Number == 1 ? validators : ConditionalValidators.None, FetchPolicy.For(source), cancellationToken);
            if (request.Number == 1)
            {
                first = fetched;
                if (!fetched.HasBody)
                    return new ListingRead { FirstPage = fetched };
            }
            else if (!fetched.HasBody)
            {
                listing.NotRead($"{fetched.Outcome.Kind} {fetched.Outcome.Detail}");
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
            FirstPage = first!, // the merger always starts with page 1
            Items = merged.Items,
            Warnings = merged.Warnings,
            Pages = merged.Pages,
            FirstPageMatches = merged.FirstPageMatches,
        };
    }
}
