using System.Threading.Channels;

namespace CoopFeeds.Changes;

/// <summary>
/// Tells the document cache, and the WebSub notifier, that feeds changed. In one process the ingester calls
/// <see cref="Notify"/> with the section it saved: the version moves on, so every cached feed (and every page that
/// shows items) is rendered afresh on its next request, and the change is queued for the hub.
/// Changes made elsewhere reach it too: publishing notifies it of a reload of the sources file, and invalidates it on any
/// write to the store by another process or instance (which that process pings the hub for, not this one).
/// The one piece ingestion and publishing share, so that neither knows the other.
/// </summary>
public sealed class FeedChangeSignal
{
    /// <summary>Enough for many ingest passes in a row; when nobody reads (no hub configured) the oldest are dropped.</summary>
    private const int QueueCapacity = 1024;

    private long _version;

    private readonly Channel<FeedChange> _changes = Channel.CreateBounded<FeedChange>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public long Version => Interlocked.Read(ref _version);

    /// <summary>The changes in the order they were notified, for the one reader that pings the hub.</summary>
    public ChannelReader<FeedChange> Changes => _changes.Reader;

    /// <summary>
    /// Items of <paramref name="sections"/> (section slugs) changed, by this process's doing: the hub is told. The sections
    /// of one write are one change, so the hub's reader, which may wake between two queued changes, pings them in one round
    /// (the combined feed once, not once per section).
    /// </summary>
    public void Notify(params IReadOnlyList<string> sections)
    {
        foreach (var section in sections) ArgumentException.ThrowIfNullOrWhiteSpace(section);
        if (sections.Count == 0) return;
        Publish(new FeedChange([.. sections]));
    }

    /// <summary>
    /// What feeds are made from changed, but not by this process's doing or not in any section's items (another process
    /// wrote to the store; a source's interval, hence the TTL, changed): every cached feed is rendered afresh, and nothing
    /// goes to the hub.
    /// </summary>
    public void Invalidate() => Publish(change: null);

    private void Publish(FeedChange? change)
    {
        // The version moves first: by the time a hub fetches the feed it pinged about, the cache renders the new items.
        Interlocked.Increment(ref _version);
        if (change is not null) _changes.Writer.TryWrite(change);
    }
}

/// <summary>One notified change: the sections whose items one write changed.</summary>
public sealed record FeedChange(IReadOnlyList<string> Sections);
