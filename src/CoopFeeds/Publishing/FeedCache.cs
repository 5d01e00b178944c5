using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CoopFeeds.Changes;
using CoopFeeds.Serving;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// Rendered feeds kept as bytes (identity, Brotli and gzip) until the items change: a feed is rendered on its first request
/// after a change and then served from memory. Concurrent first requests share one rendering, made through the
/// <see cref="RenderGate"/>. The cache holds at most Publishing:CacheMaxBytes.
/// </summary>
public sealed class FeedCache
{
    /// <summary>What an entry costs beyond its bodies: the entry, the rendering's objects, its header strings and tags.</summary>
    private const long EntryOverheadBytes = 1024;

    private sealed class Entry(long version, Func<Task<Rendering>> render)
    {
        public long Version { get; } = version;
        public Lazy<Task<Rendering>> Rendering { get; } = new(render);

        /// <summary>What the entry is charged in <see cref="_bytes"/>: 0 until its rendering is kept. Guarded by <see cref="_lock"/>.</summary>
        public long Bytes;
    }

    private readonly FeedChangeSignal _changes;
    private readonly RenderGate _gate;
    private readonly long _maxBytes;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Looks entries up by a key written into a stack buffer, so the served-from-memory path allocates no key string.
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;

    // Adding, charging and removing entries take the lock, so the total stays the sum of the charges; serving from memory does not.
    private readonly Lock _lock = new();
    private long _bytes;

    public FeedCache(FeedChangeSignal changes, RenderGate gate, IOptions<PublishingOptions> options, IMeterFactory meters)
    {
        _changes = changes;
        _gate = gate;
        _maxBytes = options.Value.CacheMaxBytes;
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        meters.Create(CoopFeedsMetrics.MeterName).CreateObservableGauge("coopfeeds.feed.cache.size", () => Interlocked.Read(ref _bytes), "By",
            "Memory the rendered documents may take (Publishing:CacheMaxBytes bounds it): each charged at the most its three codings can take");
    }

    /// <summary>The fast path: the document under <paramref name="key"/> when it is rendered and current; no allocation.</summary>
    public bool TryGetCurrent(ReadOnlySpan<char> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RenderedFeed? feed)
    {
        feed = null;
        if (!_entriesBySpan.TryGetValue(key, out var cached) || cached.Version != _changes.Version || !cached.Rendering.IsValueCreated) return false;
        var rendering = cached.Rendering.Value;
        if (!rendering.IsCompletedSuccessfully) return false;
        feed = rendering.Result.Feed;
        return feed is not null;
    }

    /// <summary>
    /// The current document under <paramref name="key"/>, rendered by <paramref name="render"/> (through the gate) unless it
    /// is cached or being rendered; null documents (an archive page not yet full) are cached too. A busy answer is not kept.
    /// </summary>
    public async Task<Rendering> GetOrRenderAsync(string key, Func<Task<RenderedFeed?>> render)
    {
        var version = _changes.Version;
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var cached) || cached.Version != version)
            {
                if (cached is not null) Remove(key, cached);
                cached = new Entry(version, () => _gate.RenderAsync(render));
                _entries[key] = cached;
            }
            entry = cached;
        }

        Rendering rendering;
        try
        {
            rendering = await entry.Rendering.Value;
        }
        catch
        {
            lock (_lock) Remove(key, entry);
            throw;
        }
        lock (_lock)
        {
            if (rendering.IsBusy) Remove(key, entry);
            else Keep(key, entry, rendering.Feed);
        }
        return rendering;
    }

    /// <summary>Charges a rendered entry once, if it is still in the cache, then makes room when the total is over the bound.</summary>
    private void Keep(string key, Entry entry, RenderedFeed? feed)
    {
        if (entry.Bytes > 0 || !_entries.TryGetValue(key, out var current) || current != entry) return;
        var bytes = EntryOverheadBytes + key.Length * sizeof(char) + (feed?.MaxBodyBytes ?? 0);
        if (bytes > _maxBytes)
        {
            // Larger than the whole cache: served to the requests that share this rendering, not kept.
            Remove(key, entry);
            return;
        }
        entry.Bytes = bytes;
        _bytes += bytes;
        if (_bytes > _maxBytes) MakeRoom(entry);
    }

    /// <summary>
    /// Bounds the memory that open-ended addresses can take (any <c>?q=</c>, any Host header when Publishing:PublicBaseUrl is
    /// unset) without letting them evict what subscribers poll: first the renderings of an older version, then filtered
    /// documents (a query in the address), and only when that is not enough, everything — each time all of a kind at once,
    /// so that a flood of new addresses costs one sweep per cache-full, not one per address. The entry just kept stays.
    /// </summary>
    private void MakeRoom(Entry kept)
    {
        RemoveWhere((_, entry) => entry.Version != kept.Version);
        if (_bytes <= _maxBytes) return;
        RemoveWhere((key, entry) => entry != kept && key.Contains('?', StringComparison.Ordinal));
        if (_bytes <= _maxBytes) return;
        RemoveWhere((_, entry) => entry != kept);
    }

    private void RemoveWhere(Func<string, Entry, bool> predicate)
    {
        foreach (var (key, entry) in _entries)
        {
            if (predicate(key, entry)) Remove(key, entry);
        }
    }

    /// <summary>Removes the entry if it is still the one under its key, and its charge with it.</summary>
    private void Remove(string key, Entry entry)
    {
        if (!_entries.TryRemove(new KeyValuePair<string, Entry>(key, entry))) return;
        _bytes -= entry.Bytes;
        entry.Bytes = 0;
    }
}
