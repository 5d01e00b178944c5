using CoopFeeds.Changes;
using CoopFeeds.Serving;
using CoopFeeds.Tests.Publishing;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Tests.Serving;

/// <summary>
/// The rendered-document cache: one rendering per address and version, a bound in bytes that holds whatever codings are
/// asked for, and an eviction order that open-ended addresses cannot use to evict subscribers' feeds.
/// </summary>
public sealed class DocumentCacheTests
{
    private static RenderedFeed Rendering(string text) => Rendering(System.Text.Encoding.UTF8.GetBytes(text));

    private static RenderedFeed Rendering(byte[] body) => new(body, "application/rss+xml; charset=utf-8",
        DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(5), new Uri("https://feeds.example.org/feeds/news.rss"), hubUrl: null);

    /// <summary><paramref name="bytes"/> random bytes, which no coding makes smaller: the worst case for the bound.</summary>
    private static RenderedFeed Noise(string key, int bytes)
    {
        var body = new byte[bytes];
        new Random(key.Length * 7919 + bytes).NextBytes(body);
        return Rendering(body);
    }

    /// <summary>A cache as the service builds it, with its gate and options.</summary>
    private sealed class Built : IDisposable
    {
        private readonly ServiceProvider _services;

        public Built(long maxBytes, FeedChangeSignal? changes = null)
        {
            _services = new ServiceCollection()
                .AddMetrics()
                .AddSingleton(changes ?? new FeedChangeSignal())
                .AddSingleton<SourceStateSignal>()
                .AddSingleton(Options.Create(new PublishingOptions { CacheMaxBytes = maxBytes }))
                .AddSingleton<RenderGate>()
                .AddSingleton<DocumentCache>()
                .BuildServiceProvider();
        }

        public DocumentCache Cache => _services.GetRequiredService<DocumentCache>();

        public SourceStateSignal SourceStates => _services.GetRequiredService<SourceStateSignal>();

        public void Dispose() => _services.Dispose();
    }

    [Fact]
    public async Task ManyFilteredAddressesNeverEvictTheUnfilteredFeeds()
    {
        using var built = new Built(maxBytes: 8 * 4096);
        var cache = built.Cache;
        var renders = 0;
        Task<RenderedFeed?> Render(string key) { renders++; return Task.FromResult<RenderedFeed?>(Rendering(key)); }
        await cache.GetOrRenderAsync("|/feeds/news.rss", RenderedFrom.Items, () => Render("news"));
        await cache.GetOrRenderAsync("|/feeds/news.atom", RenderedFrom.Items, () => Render("news atom"));

        for (var i = 0; i < 100; i++)
        {
            var key = $"|/feeds/news.rss?q=word{i}";
            await cache.GetOrRenderAsync(key, RenderedFrom.Items, () => Render(key));
        }

        Assert.Equal(102, renders);
        Assert.True(cache.TryGetCurrent("|/feeds/news.rss", out var news));
        Assert.Equal("news"u8.ToArray(), news.Body);
        Assert.True(cache.TryGetCurrent("|/feeds/news.atom", out _));
        Assert.True(cache.TryGetCurrent("|/feeds/news.rss?q=word99", out _)); // the newest filtered one is kept too
        Assert.False(cache.TryGetCurrent("|/feeds/news.rss?q=word0", out _));
    }

    [Fact]
    public async Task AFloodOfDistinctQueriesStaysWithinCacheMaxBytesAndLeavesSubscribersFeedsCached()
    {
        const long maxBytes = 256 * 1024;
        // A clock that does not move: no store-version poll renews the cached documents while the test counts on them.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithClockAsync(clock, null, $"--Publishing:CacheMaxBytes={maxBytes}", "--Publishing:RateLimit:PermitLimit=0");
        using var meters = new ServiceMeters(host);
        using var subscribed = await host.Client.GetAsync("feeds/news.rss");

        long largest = 0;
        for (var i = 0; i < 300; i++)
        {
            using var filtered = await host.Client.GetAsync($"feeds/all.rss?q=word{i}");
            Assert.Equal(System.Net.HttpStatusCode.OK, filtered.StatusCode);
            largest = Math.Max(largest, meters.Read("coopfeeds.feed.cache.size"));
        }
        using var again = await host.Client.GetAsync("feeds/news.rss");

        Assert.InRange(largest, 1, maxBytes);
        Assert.Equal(subscribed.Headers.ETag, again.Headers.ETag);
        Assert.Equal(1 + 300, meters.Read("coopfeeds.feed.renders")); // the subscription feed was not rendered again
    }

    [Fact]
    public async Task TheBodiesKeptNeverExceedCacheMaxBytesWhateverCodingsAreAskedFor()
    {
        const long maxBytes = 256 * 1024;
        using var built = new Built(maxBytes);
        var cache = built.Cache;
        var keys = new List<string>();

        for (var i = 0; i < 200; i++)
        {
            var key = i % 10 == 0 ? $"|/feeds/s{i}.rss" : $"|/feeds/all.rss?q=word{i}";
            keys.Add(key);
            await cache.GetOrRenderAsync(key, RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Noise(key, 4_000 + i * 50)));

            // Every document still served, with all three of its codings made: what the cache really holds at worst.
            long held = 0;
            foreach (var kept in keys)
            {
                if (cache.TryGetCurrent(kept, out var feed))
                    held += feed.Body.Length + feed.For(RenderedFeed.Brotli).Body.Length + feed.For(RenderedFeed.Gzip).Body.Length;
            }
            Assert.InRange(held, 1, maxBytes);
        }
    }

    [Fact]
    public async Task ADocumentLargerThanTheWholeCacheIsServedButNotKept()
    {
        using var built = new Built(maxBytes: 64 * 1024);
        var cache = built.Cache;
        await cache.GetOrRenderAsync("|/feeds/news.rss", RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Rendering("news")));

        var large = await cache.GetOrRenderAsync("|/feeds/all.rss?limit=500", RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Noise("large", 40_000)));

        Assert.Equal(40_000, large.Feed!.Body.Length);
        Assert.False(cache.TryGetCurrent("|/feeds/all.rss?limit=500", out _));
        Assert.True(cache.TryGetCurrent("|/feeds/news.rss", out _));
    }

    [Fact]
    public async Task AChangeMakesEveryAddressRenderAfreshAndTheOldRenderingsGoFirst()
    {
        var changes = new FeedChangeSignal();
        using var built = new Built(maxBytes: 3 * 4096, changes);
        var cache = built.Cache;
        for (var i = 0; i < 3; i++)
        {
            var key = $"|/feeds/s{i}.rss";
            await cache.GetOrRenderAsync(key, RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Rendering(key)));
        }

        changes.Notify("s0");
        var fresh = await cache.GetOrRenderAsync("|/feeds/s0.rss", RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Rendering("after")));
        await cache.GetOrRenderAsync("|/feeds/s1.rss", RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Rendering("after s1")));

        Assert.Equal("after"u8.ToArray(), fresh.Feed!.Body);
        Assert.True(cache.TryGetCurrent("|/feeds/s0.rss", out _));
        Assert.True(cache.TryGetCurrent("|/feeds/s1.rss", out _));
        Assert.False(cache.TryGetCurrent("|/feeds/s2.rss", out _)); // rendered before the change: not current
    }

    [Fact]
    public async Task ARecordedRunMakesOnlyTheStatusDocumentsStaleAndAnItemChangeMakesEveryDocumentStale()
    {
        var changes = new FeedChangeSignal();
        using var built = new Built(maxBytes: 1024 * 1024, changes);
        var cache = built.Cache;
        await cache.GetOrRenderAsync("|/feeds/news.rss", RenderedFrom.Items, () => Task.FromResult<RenderedFeed?>(Rendering("news")));
        await cache.GetOrRenderAsync("|/api/sources", RenderedFrom.SourceStates, () => Task.FromResult<RenderedFeed?>(Rendering("status")));

        built.SourceStates.Changed();
        var feedAfterRun = cache.TryGetCurrent("|/feeds/news.rss", out _);
        var statusAfterRun = cache.TryGetCurrent("|/api/sources", out _);
        var rendered = await cache.GetOrRenderAsync("|/api/sources", RenderedFrom.SourceStates, () => Task.FromResult<RenderedFeed?>(Rendering("status after")));
        changes.Notify("news");

        Assert.True(feedAfterRun);
        Assert.False(statusAfterRun);
        Assert.Equal("status after"u8.ToArray(), rendered.Feed!.Body);
        Assert.False(cache.TryGetCurrent("|/feeds/news.rss", out _));
        Assert.False(cache.TryGetCurrent("|/api/sources", out _)); // stored item counts are in the status too
    }

    [Fact]
    public void CompressedBodiesDecodeToTheDocumentAndKeepTheirTags()
    {
        var feed = Rendering(string.Concat(Enumerable.Repeat("<item>cooperatives</item>", 200)));

        using var brotli = new System.IO.Compression.BrotliStream(new MemoryStream(feed.For(RenderedFeed.Brotli).Body), System.IO.Compression.CompressionMode.Decompress);
        using var gzip = new System.IO.Compression.GZipStream(new MemoryStream(feed.For(RenderedFeed.Gzip).Body), System.IO.Compression.CompressionMode.Decompress);
        using var fromBrotli = new MemoryStream();
        using var fromGzip = new MemoryStream();
        brotli.CopyTo(fromBrotli);
        gzip.CopyTo(fromGzip);

        Assert.Equal(feed.Body, fromBrotli.ToArray());
        Assert.Equal(feed.Body, fromGzip.ToArray());
        Assert.Equal($"\"{feed.OpaqueTag}-br\"", feed.For(RenderedFeed.Brotli).ETag);
        Assert.Equal($"\"{feed.OpaqueTag}-gzip\"", feed.For(RenderedFeed.Gzip).ETag);
        Assert.True(feed.For(RenderedFeed.Gzip).Body.Length < feed.Body.Length / 10);
    }

    [Fact]
    public void TheChargedBoundCoversEveryCodingEvenOfIncompressibleBytes()
    {
        var feed = Noise("bound", 100_000);

        var made = feed.Body.Length + feed.For(RenderedFeed.Brotli).Body.Length + feed.For(RenderedFeed.Gzip).Body.Length;

        Assert.InRange(made, 1, feed.MaxBodyBytes);
    }
}
