using CoopFeeds.Changes;
using CoopFeeds.Publishing;
using CoopFeeds.Serving;

namespace CoopFeeds.Tests.Publishing;

/// <summary>The rendered-feed cache: one rendering per address and version, and a bound that open-ended addresses cannot use to evict subscribers' feeds.</summary>
public sealed class FeedCacheTests
{
    private static RenderedFeed Rendering(string text) => new(System.Text.Encoding.UTF8.GetBytes(text), "application/rss+xml; charset=utf-8",
        DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(5), new Uri("https://feeds.example.org/feeds/news.rss"), hubUrl: null);

    [Fact]
    public async Task ManyFilteredAddressesNeverEvictTheUnfilteredFeeds()
    {
        var cache = new FeedCache(new FeedChangeSignal());
        var renders = 0;
        Task<RenderedFeed> Render(string key) { renders++; return Task.FromResult(Rendering(key)); }
        await cache.GetOrRenderAsync("|/feeds/news.rss", () => Render("news"));
        await cache.GetOrRenderAsync("|/feeds/news.atom", () => Render("news atom"));

        var filtered = FeedCache.MaxEntries + 100;
        for (var i = 0; i < filtered; i++)
        {
            var key = $"|/feeds/news.rss?q=word{i}";
            await cache.GetOrRenderAsync(key, () => Render(key));
        }

        Assert.Equal(2 + filtered, renders);
        Assert.True(cache.TryGetCurrent("|/feeds/news.rss", out var news));
        Assert.Equal("news"u8.ToArray(), news.Body);
        Assert.True(cache.TryGetCurrent("|/feeds/news.atom", out _));
        Assert.True(cache.TryGetCurrent($"|/feeds/news.rss?q=word{filtered - 1}", out _)); // the newest filtered one is kept too
        Assert.False(cache.TryGetCurrent("|/feeds/news.rss?q=word0", out _)); // an older one made room
    }

    [Fact]
    public async Task AChangeMakesEveryAddressRenderAfreshAndTheOldRenderingsGoFirst()
    {
        var changes = new FeedChangeSignal();
        var cache = new FeedCache(changes);
        for (var i = 0; i < FeedCache.MaxEntries; i++)
        {
            var key = $"|/feeds/s{i}.rss";
            await cache.GetOrRenderAsync(key, () => Task.FromResult(Rendering(key)));
        }

        changes.Notify("s0");
        var fresh = await cache.GetOrRenderAsync("|/feeds/s0.rss", () => Task.FromResult(Rendering("after")));
        await cache.GetOrRenderAsync("|/feeds/s1.rss", () => Task.FromResult(Rendering("after s1")));

        Assert.Equal("after"u8.ToArray(), fresh.Body);
        Assert.True(cache.TryGetCurrent("|/feeds/s0.rss", out _));
        Assert.True(cache.TryGetCurrent("|/feeds/s1.rss", out _));
        Assert.False(cache.TryGetCurrent("|/feeds/s2.rss", out _)); // rendered before the change: not current
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
}
