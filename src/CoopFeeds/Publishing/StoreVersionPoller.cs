using System.Data.Common;
using CoopFeeds.Changes;
using CoopFeeds.Serving;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// Reads <see cref="IItemStore.GetVersionAsync"/> every Publishing:StoreVersionPollInterval and signals a feed change when it
/// moved without this process saying so: <c>purge</c> or <c>ingest</c> run as another process, another instance on the same
/// database, or a save that only moved items to another section (which the ingester does not notify). One small query a tick.
/// Each tick also lets the status documents be rendered afresh: a run recorded by another process moves the source states,
/// which the version does not follow, and they must show within a tick as item changes do.
/// </summary>
/// <remarks>
/// The version says that something changed, not where; the per-section counts and newest changes
/// (<see cref="IItemStore.GetSectionStatsAsync"/>, one grouped query, read only when the version moved) say where. Each section
/// whose numbers moved, less those this process notified itself since the last tick, is notified by slug, so the hub is pinged
/// for it and for the combined feed. When the version moved but no section's numbers did (an item's id changed in place), or
/// only in sections this process notified, the cache is invalidated and the hub is not pinged. A save committed here just before a tick can be pinged twice (once from
/// here, once by the ingester); hubs take a repeated ping as a fetch that finds nothing new.
/// </remarks>
public sealed class StoreVersionPoller(
    IItemStore store,
    FeedChangeSignal changes,
    SourceStateSignal sourceStates,
    IOptions<PublishingOptions> options,
    TimeProvider clock,
    ILogger<StoreVersionPoller> logger) : BackgroundService
{
    private readonly SemaphoreSlim _polling = new(1, 1);
    private long? _version;
    private Dictionary<string, SectionStats> _sections = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StoreVersionPollInterval, clock);
        try
        {
            // The starting point: what the feeds are rendered from now (the schema is migrated before this service starts).
            await PollOnceAsync(stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken)) await PollOnceAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One look at the store; the first only records where it stands.</summary>
    internal async Task PollOnceAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            sourceStates.Changed();
            // Taken before reading the store: a section notified after this is left for the next tick to discount.
            var notifiedHere = changes.TakeNotifiedHere();
            var version = await store.GetVersionAsync(cancellationToken);
            if (version == _version) return;

            var sections = (await store.GetSectionStatsAsync(cancellationToken)).ToDictionary(s => s.Section, StringComparer.Ordinal);
            var first = _version is null;
            var moved = Moved(_sections, sections);
            _version = version;
            _sections = sections;
            if (first) return;

            var unnotified = moved.Where(s => !notifiedHere.Contains(s)).ToList();
            if (unnotified.Count == 0)
            {
                // Nothing the hub needs to hear of, but the version moved after what the cache may hold: render afresh.
                changes.Invalidate();
                return;
            }
            logger.LogInformation("Store version {Version}: items of sections [{Sections}] changed outside this process",
                version, string.Join(", ", unnotified));
            foreach (var section in unnotified) changes.NotifyFromStore(section);
        }
        catch (DbException e)
        {
            // A busy or unreachable database this tick is tried again at the next; feeds keep being served meanwhile.
            logger.LogWarning("Could not read the store version: {Error}", e.Message);
        }
        finally
        {
            _polling.Release();
        }
    }

    public override void Dispose()
    {
        _polling.Dispose();
        base.Dispose();
    }

    /// <summary>Sections whose item count or newest change differs, a section missing on one side counting as empty.</summary>
    private static List<string> Moved(Dictionary<string, SectionStats> before, Dictionary<string, SectionStats> after) =>
        before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Where(section => !Equals(before.GetValueOrDefault(section), after.GetValueOrDefault(section)))
            .Order(StringComparer.Ordinal)
            .ToList();
}
