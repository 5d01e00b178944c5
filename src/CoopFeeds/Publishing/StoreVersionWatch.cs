using CoopFeeds.Changes;

namespace CoopFeeds.Publishing;

/// <summary>
/// The newest store version this process has learned of, and what learning of a newer one does: every cached document is
/// rendered afresh on its next request. Fed by the poll (<see cref="StoreVersionPoller"/>, every store) and by notifications
/// (<see cref="StoreNotificationListener"/>, PostgreSQL), whichever brings a version first; both may bring the same one, or
/// an older one late, which changes nothing.
/// </summary>
/// <remarks>
/// It learns of every write, this process's own too, and never pings the WebSub hub: the process that stored a change
/// pings for it (<see cref="HubNotifier"/>), so that with several instances the hub hears of each change once.
/// Each version it is told of also lets the status documents be rendered afresh: a run another process recorded changes
/// what they show without moving the version.
/// </remarks>
public sealed class StoreVersionWatch(FeedChangeSignal changes, SourceStateSignal sourceStates, ILogger<StoreVersionWatch> logger)
{
    private readonly Lock _lock = new();
    private long? _version;
    private readonly List<(long Version, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>The store stands at <paramref name="version"/> (read by a poll, or carried by a notification of a write).</summary>
    public void Observe(long version)
    {
        sourceStates.Changed();
        bool moved;
        List<TaskCompletionSource> due;
        lock (_lock)
        {
            if (_version >= version) return;
            // The first version is the starting point: what the documents are rendered from now.
            moved = _version is not null;
            _version = version;
            due = [.. _waiters.Where(w => w.Version <= version).Select(w => w.Signal)];
            _waiters.RemoveAll(w => w.Version <= version);
        }

        if (moved)
        {
            logger.LogDebug("Store version {Version}: cached documents are rendered afresh", version);
            changes.Invalidate();
        }
        // After the invalidation: a waiter that then asks for a document gets one rendered from this version or later.
        foreach (var signal in due) signal.TrySetResult();
    }

    /// <summary>Completes once this process has learned that the store stands at <paramref name="version"/> or later.</summary>
    public Task WhenSeenAsync(long version)
    {
        lock (_lock)
        {
            if (_version >= version) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((version, signal));
            return signal.Task;
        }
    }
}
