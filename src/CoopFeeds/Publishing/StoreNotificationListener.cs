using System.Data.Common;
using CoopFeeds.Serving;
using CoopFeeds.Storage;
using CoopFeeds.Storage.Postgres;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// On PostgreSQL, listens for the writes every instance commits (<see cref="PostgresItemStore.ListenAsync"/>) and tells the
/// <see cref="StoreVersionWatch"/> of each at once, so that instances serve the same documents within moments of a change
/// instead of within a poll interval. SQLite has no notifications: there the poll alone does this.
/// </summary>
/// <remarks>
/// A dropped connection is logged once, as a warning, and listening is tried again after <see cref="FirstRetryDelay"/>,
/// doubling up to <see cref="MaxRetryDelay"/>; meanwhile the poll (<see cref="StoreVersionPoller"/>) still brings every
/// change within Publishing:StoreVersionPollInterval. Whatever was sent while nobody listened is lost, so each time it
/// starts listening it reads the version once.
/// </remarks>
public sealed class StoreNotificationListener(
    IItemStore store,
    StoreVersionWatch watch,
    IOptions<PublishingOptions> options,
    TimeProvider clock,
    ILogger<StoreNotificationListener> logger) : BackgroundService
{
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not PostgresItemStore postgres) return;

        var retryDelay = FirstRetryDelay;
        var down = false;
        while (true)
        {
            try
            {
                await using var listener = await postgres.ListenAsync(stoppingToken);
                watch.Observe(await store.GetVersionAsync(stoppingToken));
                if (down) logger.LogInformation("Listening for store changes again");
                down = false;
                retryDelay = FirstRetryDelay;
                while (true) watch.Observe(await listener.NextAsync(stoppingToken));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (DbException e)
            {
                // Once per outage, not once per attempt: a database away for an hour must not fill the log.
                if (!down)
                {
                    logger.LogWarning("Not listening for store changes: {Error}; polling every {PollInterval} until listening again",
                        e.Message, options.Value.StoreVersionPollInterval);
                }
                down = true;
            }

            try
            {
                await Task.Delay(retryDelay, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }
}
