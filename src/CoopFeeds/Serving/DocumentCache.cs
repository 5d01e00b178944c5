using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using CoopFeeds.Changes;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// Every document the service renders — feeds, archives, the OPML list, the HTML pages, the status documents — kept as bytes
/// (identity, Brotli and gzip) until what it is rendered from changes (<see cref="RenderedFrom"/>): a document is rendered on
/// its first request after a change and then served from memory. Concurrent first requests share one rendering, made
/// through the <see cref="RenderGate"/>. One cache keyed by document address, holding at most Publishing:CacheMaxBytes.
/// </summary>
public sealed class DocumentCache
{
    /// <summary>What an entry costs beyond its bodies: the entry, the rendering's objects, its header strings and tags.</summary>
    private const long EntryOverheadBytes = 1024;

    /// <summary>Keys longer than this are built on the heap: a stack buffer is for the common, short ones.</summary>
    private const int MaxStackKey = 512;

    private sealed class Entry(long version, RenderedFrom from, Func<Task<Rendering>> render)
    {
        public long Version { get; } = version;
        public RenderedFrom From { get; } = from;
        public Lazy<Task<Rendering>> Rendering { get; } = new(render);

        /// <summary>What the entry is charged in <see cref="_bytes"/>: 0 until its rendering is kept. Guarded by <see cref="_lock"/>.</summary>
        public long Bytes;
    }

    private readonly FeedChangeSignal _changes;
    private readonly SourceStateSignal _sourceStates;
    private readonly RenderGate _gate;
    private readonly long _maxBytes;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // Looks entries up by a key written into a stack buffer, so the served-from-memory path allocates no key string.
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _entriesBySpan;

    // Adding, charging and removing entries take the lock, so the total stays the sum of the charges; serving from memory does not.
    private readonly Lock _lock = new();
    private long _bytes;

    public DocumentCache(FeedChangeSignal changes, SourceStateSignal sourceStates, RenderGate gate, IOptions<PublishingOptions> options, IMeterFactory meters)
    {
        _changes = changes;
        _sourceStates = sourceStates;
        _gate = gate;
        _maxBytes = options.Value.CacheMaxBytes;
        _entriesBySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
        meters.Create(CoopFeedsMetrics.MeterName).CreateObservableGauge("coopfeeds.feed.cache.size", () => Interlocked.Read(ref _bytes), "By",
            "Memory the rendered documents (feeds, pages, status) may take (Publishing:CacheMaxBytes bounds it): each charged at the most its three codings can take");
    }

    /// <summary>The fast path: the document under <paramref name="key"/> when it is rendered and current; no allocation.</summary>
    public bool TryGetCurrent(ReadOnlySpan<char> key, [NotNullWhen(true)] out RenderedFeed? feed)
    {
        feed = null;
        if (!_entriesBySpan.TryGetValue(key, out var cached) || !IsCurrent(cached) || !cached.Rendering.IsValueCreated) return false;
        var rendering = cached.Rendering.Value;
        if (!rendering.IsCompletedSuccessfully) return false;
        feed = rendering.Result.Feed;
        return feed is not null;
    }

    /// <summary>
    /// The current document a request asks for, when it is rendered: looked for before anything of the request is parsed,
    /// with its key (<see cref="KeyOf"/>) written on the stack.
    /// </summary>
    public bool TryGetCurrent(HttpRequest request, PublishingOptions options, DocumentKind kind, [NotNullWhen(true)] out RenderedFeed? feed)
    {
        var parts = new KeyParts();
        var count = PublicUrls.CacheKeyParts(request, options, kind, parts);
        var length = 0;
        foreach (var part in parts[..count]) length += part?.Length ?? 0;
        if (length > MaxStackKey) return TryGetCurrent(KeyOf(request, options, kind), out feed);

        Span<char> key = stackalloc char[length];
        var written = 0;
        foreach (var part in parts[..count])
        {
            part.AsSpan().CopyTo(key[written..]);
            written += part?.Length ?? 0;
        }
        return TryGetCurrent(key, out feed);
    }

    /// <summary>One entry per distinct document address (see <see cref="PublicUrls.CacheKeyParts"/>).</summary>
    public static string KeyOf(HttpRequest request, PublishingOptions options, DocumentKind kind)
    {
        var parts = new KeyParts();
        return string.Concat(parts[..PublicUrls.CacheKeyParts(request, options, kind, parts)]);
    }

    /// <summary>
    /// The current document under <paramref name="key"/>, rendered by <paramref name="render"/> (through the gate) unless it
    /// is cached or being rendered; null documents (an archive page not yet full) are cached too. A busy answer is not kept.
    /// </summary>
    /// <param name="from">What the document is rendered from: which change makes it stale.</param>
    public async Task<Rendering> GetOrRenderAsync(string key, RenderedFrom from, Func<Task<RenderedFeed?>> render)
    {
        var version = VersionOf(from);
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var cached) || cached.Version != version || cached.From != from)
            {
                if (cached is not null) Remove(key, cached);
                cached = new Entry(version, from, () => _gate.RenderAsync(render));
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

    /// <summary>
    /// The version a document rendered from <paramref name="from"/> is current at, read before its rendering reads anything.
    /// Both signals only ever move up, so their sum moves whenever either does.
    /// </summary>
    private long VersionOf(RenderedFrom from) =>
        from == RenderedFrom.Items ? _changes.Version : _changes.Version + _sourceStates.Version;

    private bool IsCurrent(Entry entry) => entry.Version == VersionOf(entry.From);

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
    /// unset) without letting them evict what subscribers poll: first the renderings that are no longer current, then filtered
    /// documents (a query in the address), and only when that is not enough, everything — each time all of a kind at once,
    /// so that a flood of new addresses costs one sweep per cache-full, not one per address. The entry just kept stays.
    /// </summary>
    private void MakeRoom(Entry kept)
    {
        RemoveWhere((_, entry) => entry != kept && !IsCurrent(entry));
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

    [System.Runtime.CompilerServices.InlineArray(PublicUrls.MaxCacheKeyParts)]
    private struct KeyParts
    {
        private string? _first;
    }
}
