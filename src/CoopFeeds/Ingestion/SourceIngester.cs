using CoopFeeds.Core.Sources;
using CoopFeeds.Publishing;
using CoopFeeds.Storage;

namespace CoopFeeds.Ingestion;

/// <summary>What one run of one source did, for the summary line, logs and the status page.</summary>
public sealed record IngestReport(string SourceId, IngestOutcome Outcome, SaveResult Saved, IReadOnlyList<string> Warnings)
{
    public bool Failed => !Outcome.IsSuccess;
}

/// <summary>
/// Runs one source through the pipeline — read the listing, then save items and outcome in one transaction.
/// A failed read saves no items, so everything stored before is kept.
/// </summary>
public sealed class SourceIngester(
    ListingReader reader, IItemStore store, FeedChangeSignal changes, TimeProvider clock, ILogger<SourceIngester> logger)
{
    public async Task<IngestReport> IngestAsync(ConfiguredSource source, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["SourceId"] = source.Id, ["Section"] = source.Section });
        var startedAt = clock.GetUtcNow();
        var state = await store.GetSourceStateAsync(source.Id, cancellationToken);
        var validators = state is null ? ConditionalValidators.None : new ConditionalValidators(state.ETag, state.LastModified);
        var knownKeys = state?.LastSuccessAt is null ? null : await store.GetIdentityKeysAsync(source.Id, cancellationToken);

        var read = await reader.ReadAsync(source, validators, knownKeys, cancellationToken);
        var firstPageCount = read.Pages.Count > 0 ? read.Pages[0].ItemCount : (int?)null;
        var outcome = new IngestOutcome
        {
            Kind = read.Kind,
            AttemptedAt = startedAt,
            Detail = read.Detail,
            HttpStatus = read.StatusCode,
            ETag = read.ETag,
            LastModified = read.LastModified,
            ItemsFound = read.Items.Count,
            FirstPageItemCount = firstPageCount,
            NextAttemptAt = startedAt + source.Definition.Interval,
        };

        if (outcome.Kind == OutcomeKind.Success && read.Items.Count == 0)
        {
            // A page that parses but yields nothing is never "no items": the layout changed or the page is a wall.
            outcome = outcome with
            {
                Kind = OutcomeKind.Degraded,
                Detail = $"Selectors.Item '{source.Definition.Selectors.Item}' matched {read.FirstPageMatches?.Items ?? 0} items",
            };
        }

        var saved = await store.SaveAsync(new SourceRun(source.Id, source.Section), outcome.IsSuccess ? read.Items : [], outcome, cancellationToken);
        if (saved.New + saved.Updated > 0) changes.Notify();

        foreach (var warning in read.Warnings) logger.LogDebug("{SourceId}: {Warning}", source.Id, warning);
        if (outcome.IsSuccess)
        {
            logger.LogInformation(
                "Ingested {SourceId}: {Outcome}, {ItemCount} items found, {New} new, {Updated} updated, {PageCount} pages",
                source.Id, outcome.Kind, outcome.ItemsFound, saved.New, saved.Updated, read.Pages.Count);
        }
        else
        {
            logger.LogWarning("Ingesting {SourceId} failed: {Outcome} {StatusCode} {Detail}", source.Id, outcome.Kind, outcome.HttpStatus, outcome.Detail);
        }
        return new IngestReport(source.Id, outcome, saved, read.Warnings);
    }
}
