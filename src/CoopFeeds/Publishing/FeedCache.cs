using System.Collections.Concurrent;

namespace CoopFeeds.Publishing;

/// <summary>
/// Rendered feeds kept as bytes until the items change: a feed is rendered on its first request after a change
/// and then served from memory. Concurrent first requests share one rendering.
/// </summary>
public sealed class FeedCache(FeedChangeSignal changes)
{
    private const int MaxEntries = 2048;

    private sealed record Entry(long Version, Lazy<Task<RenderedFeed>> Rendering);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<RenderedFeed> GetOrRenderAsync(string key, Func<Task<RenderedFeed>> render)
    {
        var version = changes.Version;
        if (_entries.TryGetValue(key, out var cached) && cached.Version == version)
            return await cached.Rendering.Value;

        // Filtered URLs are open-ended; bound the memory they can take by starting over when full.
        if (_entries.Count >= MaxEntries) _entries.Clear();

        var fresh = new Entry(version, new Lazy<Task<RenderedFeed>>(render));
        var entry = _entries.AddOrUpdate(key, fresh, (_, existing) => existing.Version == version ? existing : fresh);
        try
        {
            return await entry.Rendering.Value;
        }
        catch
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            throw;
        }
    }
}
