using System.Data.Common;
using CoopFeeds.Serving;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// Reads <see cref="IItemStore.GetVersionAsync"/> every Publishing:StoreVersionPollInterval and tells the
/// <see cref="StoreVersionWatch"/>: one small query a tick. On SQLite it is how this process learns of writes by other
/// processes (<c>purge</c> or <c>ingest</c> run from a shell); on PostgreSQL notifications bring them at once
/// (<see cref="StoreNotificationListener"/>) and the poll is the fallback that bounds the wait while they cannot.
/// </summary>
public sealed class StoreVersionPoller(
    IItemStore store,
    StoreVersionWatch watch,
    IOptions<PublishingOptions> options,
    TimeProvider clock,
    ILogger<StoreVersionPoller> logger) : BackgroundService
{
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
        try
        {
            watch.Observe(await store.GetVersionAsync(cancellationToken));
        }
        catch (DbException e)
        {
            // A busy or unreachable database this tick is tried again at the next; feeds keep being served meanwhile.
            logger.LogWarning("Could not read the store version: {Error}", e.Message);
        }
    }
}
