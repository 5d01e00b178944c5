using CoopFeeds.Changes;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Storage;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

/// <summary>What one run of one source did, for the summary line, logs and the status page.</summary>
public sealed record IngestReport(string SourceId, IngestOutcome Outcome, SaveResult Saved, IReadOnlyList<string> Warnings)
{
    public bool Failed => !Outcome.IsSuccess;
}

/// <summary>
/// Runs one source through the pipeline — read the listing, then save items and outcome in one transaction.
/// A failed or degraded read saves no items, so everything stored before is kept and stays in the feeds.
/// </summary>
public sealed class SourceIngester(
    ListingReader reader,
    IItemStore store,
    FeedChangeSignal changes,
    SourceStateSignal sourceStates,
    CoopFeedsMetrics metrics,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<SourceIngester> logger)
{
    /// <summary>
    /// Runs <paramref name="source"/> under the lease <paramref name="leaseHolder"/> holds (<see cref="SourceLeases"/>): the
    /// state it starts from is read after the lease was taken, so it is the last holder's, and the save releases the lease.
    /// With no holder the run takes no lease: for a caller that knows nothing else runs the source.
    /// </summary>
    /// <exception cref="LeaseLostException">Another holder took the source over meanwhile; nothing was saved.</exception>
    public async Task<IngestReport> IngestAsync(ConfiguredSource source, string? leaseHolder, CancellationToken cancellationToken)
    {
        // A message-template scope: structured properties for log processors, "source X in Y" on the console.
        using var scope = logger.BeginScope("source {SourceId} in {Section}", source.Id, source.Section);
        var startedAt = clock.GetUtcNow();
        var state = await store.GetSourceStateAsync(source.Id, cancellationToken);
        var fingerprint = SourceFingerprint.Of(source.Definition);
        // Edited since the page was last read: the stored validators would earn a 304 for the page the old selectors read,
        // and the new ones would never run; the drift baseline counted what the old ones found. Read it all afresh.
        var edited = state?.DefinitionFingerprint is { } stored && stored != fingerprint;
        var validators = state is null || edited ? ConditionalValidators.None : state.Validators;
        IReadOnlyList<int> baseline = edited ? [] : state?.RecentFirstPageCounts ?? [];
        var knownKeys = state?.LastSuccessAt is null || edited ? null : await store.GetIdentityKeysAsync(source.Id, cancellationToken);

        ListingRead read;
        try
        {
            read = await reader.ReadAsync(source, validators, knownKeys, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            read = new ListingRead { FirstPage = FetchResult.Failed(OutcomeKind.InternalError, Unexpected(source, ex)) };
        }
        // Retry-After counts from the answer; the run may have spent a while on robots.txt, retries or earlier pages.
        var notBefore = read.RetryAfter is { } asked ? clock.GetUtcNow() + asked : (DateTimeOffset?)null;
        var firstPageCount = read.Pages.Count > 0 ? read.Pages[0].ItemCount : (int?)null;
        var outcome = new IngestOutcome
        {
            Fetch = read.FirstPage.Outcome,
            AttemptedAt = startedAt,
            ItemsFound = read.Items.Count,
            FirstPageItemCount = firstPageCount,
            DefinitionFingerprint = fingerprint,
        };
        if (outcome.Kind == OutcomeKind.Success)
        {
            try
            {
                outcome = await CheckDriftAsync(source, read, outcome, baseline, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = outcome with { Fetch = FetchResult.Failed(OutcomeKind.InternalError, Unexpected(source, ex)).Outcome };
            }
        }

        var failures = outcome.IsSuccess || outcome.Kind == OutcomeKind.Degraded ? 0 : (state?.ConsecutiveFailures ?? 0) + 1;
        var ingestion = options.Value;
        outcome = outcome with
        {
            NextAttemptAt = IngestionSchedule.NextAttempt(
                startedAt, source.Definition.Interval, failures, notBefore, ingestion.MaxBackoff,
                ingestion.IntervalJitter, ingestion.IntervalJitter > 0 ? Random.Shared.NextDouble() : 0),
        };

        var run = new SourceRun(source.Id, source.Section) { LeaseHolder = leaseHolder };
        var saved = await store.SaveAsync(run, outcome.IsSuccess ? read.Items : [], outcome, cancellationToken);
        // Items left the sections they moved from for this one: one change, so the hub hears of both in one round.
        if (saved.New + saved.Updated > 0 || saved.MovedFrom.Count > 0) changes.Notify([source.Section, .. saved.MovedFrom]);
        sourceStates.Changed(); // every run is recorded, even one that changed no item
        metrics.RecordRun(source.Id, outcome.Kind, saved);

        foreach (var warning in read.Warnings) logger.LogDebug("{SourceId}: {Warning}", source.Id, warning);
        if (outcome.IsSuccess)
        {
            logger.LogInformation(
                "Ingested {SourceId}: {Outcome}, {ItemCount} items found, {New} new, {Updated} updated, {PageCount} pages, next at {NextAttemptAt:u}",
                source.Id, outcome.Kind, outcome.ItemsFound, saved.New, saved.Updated, read.Pages.Count, outcome.NextAttemptAt);
        }
        else
        {
            logger.LogWarning(
                "Ingesting {SourceId} failed: {Outcome} {StatusCode} {Detail}; {ConsecutiveFailures} in a row, next at {NextAttemptAt:u}",
                source.Id, outcome.Kind, outcome.Fetch.StatusCode, outcome.Detail, failures, outcome.NextAttemptAt);
        }
        return new IngestReport(source.Id, outcome, saved, read.Warnings);
    }

    /// <summary>
    /// An exception nothing expected (every expected failure is a value): logged whole, and named on the source by its type
    /// and message only, so the status says what broke instead of staying "pending", with no stack trace in it.
    /// The store's own failures are not caught here: they could not be recorded in it, and reach the worker's log.
    /// </summary>
    private string Unexpected(ConfiguredSource source, Exception ex)
    {
        logger.LogError(ex, "Ingesting {SourceId} threw {ExceptionType}", source.Id, ex.GetType().Name);
        return $"{ex.GetType().Name}: {ex.Message}";
    }

    /// <summary>
    /// Layout drift: a first page that used to give items and now gives none, or fewer than DriftThreshold × the median of
    /// the last good first pages, marks the run Degraded. Nothing is saved from it, so no item is lost and none is marked
    /// gone; the detail says which selector stopped matching, or what kind of wall the page is.
    /// </summary>
    private async Task<IngestOutcome> CheckDriftAsync(
        ConfiguredSource source, ListingRead read, IngestOutcome outcome, IReadOnlyList<int> recentCounts, CancellationToken cancellationToken)
    {
        // Items with a title: a Title selector that stops matching empties the first page as surely as a broken Item selector.
        var usable = read.FirstPageMatches is { } m ? Math.Min(m.Items, m.Title) : outcome.FirstPageItemCount ?? 0;
        var baseline = IngestionSchedule.Median(recentCounts);
        var threshold = options.Value.DriftThreshold;

        string? finding = null;
        if (read.Items.Count == 0)
            finding = "the page gave no items";
        else if (baseline is > 0 && usable < threshold * baseline)
            finding = $"the first page gave {usable} items, under {threshold:0.##} × {baseline:0.#} (the median of the last {recentCounts.Count} good runs)";
        if (finding is null) return outcome;

        var wall = await PageDiagnosis.DescribeWallAsync(read.FirstPage.Body, source.BaseUrl ?? source.Location, cancellationToken);
        var detail = string.Join("; ", new[] { finding, wall, PageDiagnosis.DescribeSelectors(source.Selectors, read.FirstPageMatches) }
            .Where(p => p is not null));
        return outcome with { Drift = $"{detail}; stored items are kept" };
    }
}
