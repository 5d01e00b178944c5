using CoopFeeds.Changes;

namespace CoopFeeds.Publishing;

/// <summary>
/// In <c>serve</c>: pings the WebSub hub (<see cref="HubPinger"/>) for each change this process queues on the
/// <see cref="FeedChangeSignal"/> — its ingester's saves and its reloads of the sources file. Idle without a hub.
/// </summary>
/// <remarks>
/// The signal's version moves before the change is queued, so the hub's fetch of the topic already gets the new bytes here
/// (checklist 4.5); other instances learn of the write from the database within moments (on PostgreSQL a notification,
/// else at worst one Publishing:StoreVersionPollInterval).
/// </remarks>
public sealed class HubNotifier(FeedChangeSignal changes, HubPinger pinger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!pinger.HasHub) return;
        while (await changes.Changes.WaitToReadAsync(stoppingToken)) await pinger.PingQueuedAsync(stoppingToken);
    }
}
