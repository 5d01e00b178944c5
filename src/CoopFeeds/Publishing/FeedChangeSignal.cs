namespace CoopFeeds.Publishing;

/// <summary>
/// Tells the feed cache that items changed. In one process the ingester calls <see cref="Notify"/>;
/// the cache also compares the store's version, so changes written by another instance are seen too.
/// </summary>
public sealed class FeedChangeSignal
{
    private long _version;

    public long Version => Interlocked.Read(ref _version);

    public void Notify() => Interlocked.Increment(ref _version);
}
