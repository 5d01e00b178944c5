using CoopFeeds.Sources;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Ingestion;

/// <summary>
/// Ingests every enabled source at start, then each on its own interval. Sources run concurrently up to
/// MaxConcurrency; one source failing never stops the others. Waiting goes through <see cref="TimeProvider"/>,
/// so tests advance time instead of sleeping.
/// </summary>
public sealed class IngestionWorker(
    SourceCatalogProvider catalogs,
    SourceIngester ingester,
    IngestionReadiness readiness,
    Microsoft.Extensions.Options.IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _nextDue = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunDueSourcesAsync(stoppingToken);
        }
        finally
        {
            readiness.MarkReady();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var wait = _nextDue.Count == 0 ? TimeSpan.FromMinutes(1) : _nextDue.Values.Min() - now;
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            await RunDueSourcesAsync(stoppingToken);
        }
    }

    /// <summary>Runs every enabled source whose time has come (all of them on the first call).</summary>
    internal async Task RunDueSourcesAsync(CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        var now = clock.GetUtcNow();
        var due = catalog.Sources
            .Where(s => s.Definition.Enabled)
            .Where(s => !_nextDue.TryGetValue(s.Id, out var at) || at <= now)
            .ToList();
        foreach (var removed in _nextDue.Keys.Except(catalog.Sources.Select(s => s.Id)).ToList())
            _nextDue.Remove(removed);

        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = cancellationToken },
            async (source, ct) =>
            {
                try
                {
                    await ingester.IngestAsync(source, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Ingesting {SourceId} threw; its stored items are kept", source.Id);
                }
            });

        foreach (var source in due)
            _nextDue[source.Id] = now + source.Definition.Interval;
    }
}
