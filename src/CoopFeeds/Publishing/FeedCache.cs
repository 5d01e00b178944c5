using System.Collections.Concurrent;
using CoopFeeds.Changes;
using CoopFeeds.Serving;

namespace CoopFeeds.Publishing;

/// <summary>
/// Rendered feeds kept as bytes (identity, Brotli and gzip) until the items change: a feed is rendered on its first request
/// after a change and then served from memory. Concurrent first requests share one rendering.
/// </summary>
public sealed class FeedCache
{
    /// <summary>Each entry holds three encodings of one document; filtered URLs are open-ended, so the count is bounded.</summary>
    internal const int MaxEntries = 1024;

    private sealed record Entry(long Version, Lazy<Task<RenderedFeed?>> Rendering);

    private readonly FeedChangeSignal _changes;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Looks entries up by a key written into a stack buffer, so the served-from-memory path allocates no key string.
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;

    public FeedCache(FeedChangeSignal changes)
    {
        _changes = changes;
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>
    /// Bounds the memory that open-ended addresses can take (any <c>?q=</c>, any Host header when Publishing:PublicBaseUrl is
    /// unset) without letting them evict what subscribers poll: first the renderings of an older version, then filtered
    /// documents (a query in the address), and only when that is not enough, everything.
    /// </summary>
    private void MakeRoom(long version)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Version != version) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
        if (_entries.Count < MaxEntries) return;
        foreach (var (key, entry) in _entries)
        {
            if (key.Contains('?', StringComparison.Ordinal)) _entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        }
        if (_entries.Count >= MaxEntries) _entries.Clear();
    }

    /// <summary>The fast path: the document under <paramref name="key"/> when it is rendered and current; no allocation.</summary>
    public bool TryGetCurrent(ReadOnlySpan<char> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RenderedFeed? feed)
    {
        feed = null;
        if (!_entriesBySpan.TryGetValue(key, out var cached) || cached.Version != _changes.Version || !cached.Rendering.IsValueCreated) return false;
        var rendering = cached.Rendering.Value;
        if (!rendering.IsCompletedSuccessfully) return false;
        feed = rendering.Result;
        return feed is not null;
    }

    public async Task<RenderedFeed> GetOrRenderAsync(string key, Func<Task<RenderedFeed>> render) =>
        (await GetOrRenderOptionalAsync(key, async () => await render()))!;

    /// <summary>As <see cref="GetOrRenderAsync"/> for documents that may not exist (an archive page not yet full): null is cached too.</summary>
    public async Task<RenderedFeed?> GetOrRenderOptionalAsync(string key, Func<Task<RenderedFeed?>> render)
    {
        var version = _changes.Version;
        if (_entries.TryGetValue(key, out var cached) && cached.Version == version)
            return await cached.Rendering.Value;

        if (_entries.Count >= MaxEntries) MakeRoom(version);

        var fresh = new Entry(version, new Lazy<Task<RenderedFeed?>>(render));
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
