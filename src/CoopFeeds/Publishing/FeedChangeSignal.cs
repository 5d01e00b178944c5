using System.Threading.Channels;

namespace CoopFeeds.Publishing;

/// <summary>
/// Tells the feed cache, and the WebSub notifier, that items changed. In one process the ingester calls
/// <see cref="Notify(string)"/> with the section it saved (or <see cref="Notify()"/> when it does not know which):
/// the version moves on, so every cached feed is rendered afresh on its next request, and the change is queued for the hub.
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

    /// <summary>Items changed, in a section not named: every section counts as changed.</summary>
    public void Notify() => Publish(new FeedChange(Section: null));

    /// <summary>Items of <paramref name="section"/> (a section slug) changed.</summary>
    public void Notify(string section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        Publish(new FeedChange(section));
    }

    private void Publish(FeedChange change)
    {
        // The version moves first: by the time a hub fetches the feed it pinged about, the cache renders the new items.
        Interlocked.Increment(ref _version);
        _changes.Writer.TryWrite(change);
    }
}

/// <summary>One notified change: the section whose items changed, or null when every section may have.</summary>
public sealed record FeedChange(string? Section);
