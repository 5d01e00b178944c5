namespace CoopFeeds.Changes;

/// <summary>
/// Tells the cached status documents (<c>/api/sources</c>, <c>/sources</c>, <c>/sources.atom</c>) that what they show may
/// have moved although no item did: the ingester recorded a run (outcome, health, counts, next attempt — every run, even one
/// that changed nothing in the feeds), the scheduler started, finished or rescheduled a source, or the store poller's tick
/// came round (a run another process recorded). Items and the sources file reach them through <see cref="FeedChangeSignal"/>.
/// </summary>
/// <remarks>
/// Kept apart from <see cref="FeedChangeSignal"/> because runs are far more frequent than item changes: with a thousand
/// sources a run ends every few seconds, and the feeds must not be rendered afresh for each.
/// </remarks>
public sealed class SourceStateSignal
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    /// <summary>Called after the change is made, so that a rendering begun before it is never taken for a current one.</summary>
    public void Changed() => Interlocked.Increment(ref _version);
}
