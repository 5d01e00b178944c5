using CoopFeeds.Core;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
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

    /// <summary>What the selectors matched on each page read, in page order.</summary>
    public IReadOnlyList<SelectorMatches> PageMatches { get; init; } = [];

    /// <summary>
    /// One note per item of <see cref="Items"/>, in the same order: its raw strings and the warnings about it. Only a read
    /// from a page fetched already (the studio's) has them; ingestion's runs do not build them.
    /// </summary>
    public IReadOnlyList<ItemNote> Notes { get; init; } = [];

    /// <summary>
    /// The read's warnings, then hints for a maintainer trying selectors (<c>preview</c>, the studio): a selector that
    /// matched in no item, an Item selector that matched one element or none, the pages followed.
    /// </summary>
    public IReadOnlyList<string> WarningsWithHints(ConfiguredSource source)
    {
        var warnings = new List<string>(Warnings);
        if (FirstPageMatches is not { } matches) return warnings;
        var selectors = source.Definition.Selectors;
        void Unmatched(string field, string? selector, int count)
        {
            if (selector is not null && matches.Items > 0 && count == 0)
                warnings.Add($"Selectors.{field} '{selector}' matched nothing in any item");
        }
        Unmatched("Title", selectors.Title, matches.Title);
        Unmatched("Link", selectors.Link, matches.Link);
        Unmatched("Date", selectors.Date, matches.Date);
        Unmatched("Summary", selectors.Summary, matches.Summary);
        Unmatched("Category", selectors.Category, matches.Category);
        if (selectors.Group is not null && matches.GroupHeadings == 0)
            warnings.Add($"Selectors.Group '{selectors.Group}' matched no heading");
        if (matches.Items <= 1)
            warnings.Add($"hint: Selectors.Item '{selectors.Item}' matched {matches.Items} element(s); if the page lists more items, it should match each of them (e.g. 'article', 'li.result', '.views-row'), not the list around them");
        if (Pages.Count > 1)
            warnings.Add($"followed {Pages.Count} pages: " + string.Join(", ", Pages.Select(p => $"{UrlRedactor.Redact(p.Url)} ({p.ItemCount} items)")));
        return warnings;
    }
}

/// <summary>What suggesting sources for a page gave: the engine's result, or why the page could not be read.</summary>
public sealed record ListingSuggestion(SuggestionResult? Result, string? Failure);

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
    /// <summary>
    /// Fetches a later page of a listing (page 2 on) for a read made on someone else's terms: the studio's, whose pages are
    /// fetched within its own policy and count against its fetch limit, whatever the source entry says.
    /// </summary>
    public delegate Task<FetchResult> LaterPageFetch(Uri location, CancellationToken cancellationToken);

    /// <summary>
    /// Pages parsed at once, process-wide: as many as there are cores. Runs wait on the network for most of their time, so
    /// Ingestion:MaxConcurrency lets more of them fetch at once than there are cores; but a parsed page is a whole DOM
    /// (a few megabytes for a 200-item listing) until its items are normalized, and pages parsed beyond the cores only
    /// take turns on them while their DOMs hold memory. Measured (bench/README.md, "Memory settings"): each page in work
    /// at once cost about 10 MB of peak resident memory in the first pass of 1,000 sources.
    /// </summary>
    private readonly SemaphoreSlim parsing = new(Environment.ProcessorCount);

    private readonly NormalizationLimits limits = new()
    {
        MaxTitleChars = options.Value.MaxTitleChars,
        MaxSummaryChars = options.Value.MaxSummaryChars,
    };

    /// <param name="knownKeys">Identity keys already stored; null on a source's first run (back-fill every page up to MaxPages).</param>
    public Task<ListingRead> ReadAsync(
        ConfiguredSource source, ConditionalValidators validators, IReadOnlySet<string>? knownKeys, CancellationToken cancellationToken) =>
        ReadAsync(source, validators, knownKeys, firstPage: null, laterPages: null, withNotes: false, cancellationToken);

    /// <summary>
    /// Reads a listing whose first page was fetched already (the studio keeps what it fetched, so every edit of a selector
    /// is read from the same bytes); later pages are fetched by <paramref name="laterPages"/>, and a later page it does not
    /// give ends the listing there with a warning.
    /// </summary>
    public Task<ListingRead> ReadAsync(ConfiguredSource source, FetchResult firstPage, LaterPageFetch laterPages, CancellationToken cancellationToken) =>
        ReadAsync(source, ConditionalValidators.None, knownKeys: null, firstPage, laterPages, withNotes: true, cancellationToken);

    private async Task<ListingRead> ReadAsync(
        ConfiguredSource source, ConditionalValidators validators, IReadOnlySet<string>? knownKeys, FetchResult? firstPage,
        LaterPageFetch? laterPages, bool withNotes, CancellationToken cancellationToken)
    {
        var runTimeout = options.Value.RunTimeout;
        using var deadline = new CancellationTokenSource(runTimeout, clock);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var listing = new ListingMerger(source, knownKeys);
        FetchResult? first = null;
        TimeSpan? retryAfter = null;
        var notes = new Dictionary<Item, ItemNote>(ReferenceEqualityComparer.Instance);
        var pageMatches = new List<SelectorMatches>();
        while (listing.Next is { } request)
        {
            FetchResult fetched;
            try
            {
                fetched = (request.Number, firstPage, laterPages) switch
                {
                    (1, { } given, _) => given,
                    ( > 1, _, { } later) => await later(request.Location, run.Token),
                    _ => await fetcher.FetchAsync(request.Location, request.Number == 1 ? validators : ConditionalValidators.None, FetchPolicy.For(source), run.Token),
                };
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
            var (page, normalized) = await ReadPageAsync(source, fetched, address, request.Number, withNotes, cancellationToken);
            foreach (var note in normalized.Notes) notes[note.Item] = note;
            pageMatches.Add(page.Matches);
            listing.Add(page, normalized);
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
            PageMatches = pageMatches,
            Notes = withNotes ? [.. merged.Items.Select(item => notes[item])] : [],
        };
    }

    /// <summary>One fetched page parsed, extracted and normalized, its DOM gone before it returns; one per core at a time.</summary>
    private async Task<(ListingPage Page, NormalizationResult Normalized)> ReadPageAsync(
        ConfiguredSource source, FetchResult fetched, Uri address, int number, bool withNotes, CancellationToken cancellationToken)
    {
        await parsing.WaitAsync(cancellationToken);
        try
        {
            // Left to the GC, not disposed: AngleSharp's Document.Dispose empties the page's source text (a StringBuilder of
            // many chunks) with Clear, which allocates one array as long as the page, 258 KB for a 200-item listing, on the
            // large-object heap, only to drop it (bench/README.md, "The pass's critical path"). The document holds nothing
            // else to release: its context has no loaders and no scripting (ListingDocument).
            var document = await ListingDocument.ParseAsync(fetched.Body!, address, fetched.ContentType, cancellationToken);
            var page = ListingExtractor.Extract(document, source.Selectors, number);
            return (page, ItemNormalizer.Normalize(source, page.Items, clock.GetUtcNow(), limits, withNotes));
        }
        finally
        {
            parsing.Release();
        }
    }

    /// <summary>
    /// Proposes sources for a page (<c>suggest</c>, the studio): the page read as a source would be, then the next page
    /// the engine proposes, so that NextPage is proposed only once it works. Both reads together are bounded by
    /// Ingestion:RunTimeout. The page's links resolve against <paramref name="baseUrl"/> when given (a saved page's public
    /// address), else against its address after redirects.
    /// </summary>
    /// <param name="firstPage">The page as fetched already (the studio's cache), or null to fetch it now.</param>
    public Task<ListingSuggestion> SuggestAsync(
        Uri location, Uri? baseUrl, FetchPolicy policy, int top, FetchResult? firstPage, CancellationToken cancellationToken) =>
        SuggestAsync(location, baseUrl, policy, top, firstPage, laterPages: null, cancellationToken);

    /// <param name="laterPages">Fetches page 2, the one proposed as NextPage, checked; null: with <paramref name="policy"/>.</param>
    public async Task<ListingSuggestion> SuggestAsync(
        Uri location, Uri? baseUrl, FetchPolicy policy, int top, FetchResult? firstPage, LaterPageFetch? laterPages, CancellationToken cancellationToken)
    {
        var runTimeout = options.Value.RunTimeout;
        using var deadline = new CancellationTokenSource(runTimeout, clock);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        var first = await ReadPageAsync(location, baseUrl, Fetch(policy), firstPage, run.Token, cancellationToken);
        if (first.Document is null) return new ListingSuggestion(null, first.Failure);

        using var page = first.Document;
        var input = new SuggestionInput
        {
            Page = new SuggestionPage(location, page),
            BaseUrl = baseUrl,
            FetchedAt = clock.GetUtcNow(),
            Top = top,
        };
        var suggestion = SelectorSuggester.Suggest(input);
        if (suggestion.NextPageToVerify is { } request)
        {
            var second = await ReadPageAsync(request.Location, request.Address, laterPages ?? Fetch(policy), fetched: null, run.Token, cancellationToken);
            if (second.Document is { } secondPage)
            {
                using (secondPage) suggestion = SelectorSuggester.Suggest(input with { SecondPage = new SuggestionPage(request.Location, secondPage) });
            }
            else
            {
                var shown = request.Location.IsFile ? request.Location.LocalPath : UrlRedactor.Redact(request.Location);
                suggestion = suggestion with { Problems = [.. suggestion.Problems, $"page 2 ({shown}) could not be read: {second.Failure}"] };
            }
        }
        return new ListingSuggestion(suggestion, null);
    }

    private sealed record ParsedPage(AngleSharp.Dom.IDocument? Document, string? Failure);

    /// <summary>Fetches (unless given) and parses one page through the fetcher ingestion uses; a failure is a value, worded as preview words it.</summary>
    private async Task<ParsedPage> ReadPageAsync(
        Uri location, Uri? address, LaterPageFetch fetch, FetchResult? fetched, CancellationToken run, CancellationToken cancellationToken)
    {
        try
        {
            fetched ??= await fetch(location, run);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, $"{OutcomeKind.Timeout} the reads did not finish within Ingestion:RunTimeout ({options.Value.RunTimeout:c})");
        }
        if (!fetched.HasBody) return new(null, $"{fetched.Outcome.Kind} {UrlRedactor.RedactText(fetched.Outcome.Detail ?? "")}".Trim());
        if (ListingDocument.CheckNesting(fetched.Body!, fetched.ContentType) is { } refusal) return new(null, $"{OutcomeKind.TooDeeplyNested} {refusal}");
        var document = await ListingDocument.ParseAsync(fetched.Body!, address ?? fetched.FinalUrl ?? location, fetched.ContentType, cancellationToken);
        return new(document, null);
    }

    private LaterPageFetch Fetch(FetchPolicy policy) =>
        (location, cancellationToken) => fetcher.FetchAsync(location, ConditionalValidators.None, policy, cancellationToken);

    /// <summary>A read that ended on its first page: nothing to store, and the stored items are kept. Its detail names URLs redacted.</summary>
    private static ListingRead Failed(FetchResult fetched, FetchOutcome outcome) => new()
    {
        FirstPage = fetched with { Outcome = outcome with { Detail = outcome.Detail is null ? null : UrlRedactor.RedactText(outcome.Detail) } },
        RetryAfter = outcome.RetryAfter,
    };
}
