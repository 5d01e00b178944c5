using System.Net;
using System.Text.Json.Nodes;
using CoopFeeds.Publishing;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using CoopFeeds.Tests.Ingestion;
using CoopFeeds.Tests.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Serving;

/// <summary>
/// The index page, section pages, the OPML list and the status documents are cached and revalidated like the feeds: served
/// from memory without a store read, 304 on a matching ETag, HEAD like GET, rendered afresh after a change of what they show
/// (a saved item, a recorded run, a reloaded sources file), each Host its own document where the links come from it, and
/// admitted like the feeds. Store reads are counted by a proxy of the service's own store.
/// </summary>
public sealed class CachedPagesTests
{
    private const string OtherHost = "feeds.example.coop:8080";

    /// <summary>Every cached page and document besides the feeds, on the samples.</summary>
    public static TheoryData<string> Pages => ["", "sections/news", "feeds.opml", "api/sources", "api/sources/ilo-newsroom-coop", "sources", "sources.atom"];

    /// <summary>Those whose links are built from the request's Host (Publishing:PublicBaseUrl unset).</summary>
    public static TheoryData<string> LinkingPages => ["", "sections/news", "feeds.opml", "sources.atom"];

    /// <summary>Those that write no absolute link.</summary>
    public static TheoryData<string> UnlinkedPages => ["api/sources", "api/sources/ilo-newsroom-coop", "sources"];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task ARepeatedRequestARevalidationAndAHeadAreAnsweredFromMemoryWithoutAStoreRead(string path)
    {
        var (host, store) = await StartOnSamplesAsync();
        await using var _ = host;
        var before = store.Calls;

        using var first = await host.Client.GetAsync(path);
        var rendered = store.Calls;
        using var second = await host.Client.GetAsync(path);
        using var revalidated = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));
        using var head = await Served.SendAsync(host, HttpMethod.Head, path, _ => { });

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(rendered > before, "the first request reads the store");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, revalidated.Headers.ETag);
        Assert.Equal(first.Headers.CacheControl, revalidated.Headers.CacheControl);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(Served.Headers(first), Served.Headers(head));
        Assert.Equal(rendered, store.Calls);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sections/faults")]
    [InlineData("feeds.opml")]
    public async Task ANewItemGivesTheIndexTheSectionPageAndTheOpmlListANewETagAndNewContent(string path)
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await file.StartServiceAsync(services => services.AddSingleton<TimeProvider>(clock));
        using var before = await host.Client.GetAsync(path);

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        clock.Advance(TimeSpan.FromMinutes(1)); // the new item's first-seen time, which dates the OPML list, is later
        var report = await host.RunAsync("news");
        using var after = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(before.Headers.ETag!));

        Assert.Equal(1, report.Saved.New);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.NotEqual(await before.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("api/sources", "\"state\":\"failing\"")]
    [InlineData("api/sources/news", "\"state\":\"failing\"")]
    [InlineData("sources", "<tr class=\"failing\"")]
    [InlineData("sources.atom", "news is failing")]
    public async Task ARecordedRunGivesTheStatusANewETagAndNewContentAndLeavesTheFeedsInMemory(string path, string shown)
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        CountingStore store = null!;
        // No poll of the store version during the test: what moves the status must be the run itself.
        await using var host = await file.StartServiceAsync(services => store = CountingStore.Replace<CountingStore>(services),
            "--Publishing:StoreVersionPollInterval=01:00:00");
        await SettleAsync(host);
        using var before = await host.Client.GetAsync(path);
        using var feedBefore = await host.Client.GetAsync("feeds/faults.rss");

        site.Serve("/news", FaultSite.Status(502));
        var report = await host.RunAsync("news"); // recorded as failing; no item changes
        var calls = store.Calls;
        using var feedAfter = await Served.SendAsync(host, HttpMethod.Get, "feeds/faults.rss", r => r.Headers.IfNoneMatch.Add(feedBefore.Headers.ETag!));
        var feedCalls = store.Calls - calls;
        using var after = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(before.Headers.ETag!));

        Assert.True(report.Failed);
        Assert.Equal(HttpStatusCode.NotModified, feedAfter.StatusCode);
        Assert.Equal(0, feedCalls);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.DoesNotContain(shown, await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(shown, await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReloadedSourcesFileGivesThePagesAndTheStatusANewETagAndNewContent()
    {
        var folder = Cli.CoopFeedsProcess.CopyOfSamples();
        try
        {
            var sourcesPath = Path.Combine(folder, "sources.json");
            await using var host = await ServiceHost.StartWithClockAsync(new FakeTimeProvider(DateTimeOffset.UtcNow), sourcesPath);
            const string retitled = "Cooperative news, retitled";
            // What each shows of the edit: the section's new title, or the source disabled.
            var shown = new Dictionary<string, string>
            {
                [""] = retitled,
                ["sections/news"] = retitled,
                ["feeds.opml"] = retitled,
                ["api/sources"] = "\"state\":\"disabled\"",
                ["api/sources/ilo-newsroom-coop"] = "\"state\":\"disabled\"",
                ["sources"] = "<tr class=\"disabled\" id=\"ilo-newsroom-coop\"",
            };
            var before = new Dictionary<string, (HttpResponseMessage Response, string Body)>();
            foreach (var path in shown.Keys)
            {
                var response = await host.Client.GetAsync(path);
                before[path] = (response, await response.Content.ReadAsStringAsync());
            }

            var file = JsonNode.Parse(await File.ReadAllTextAsync(sourcesPath))!;
            file["Sections"]!.AsArray().Single(s => s!["Slug"]!.GetValue<string>() == "news")!["Title"] = retitled;
            file["Sources"]!.AsArray().Single(s => s!["Id"]!.GetValue<string>() == "ilo-newsroom-coop")!["Enabled"] = false;
            await File.WriteAllTextAsync(sourcesPath, file.ToJsonString());
            Assert.True(host.Services.GetRequiredService<SourceCatalogProvider>().Reload().IsValid);

            foreach (var (path, edit) in shown)
            {
                var (earlier, earlierBody) = before[path];
                using var after = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(earlier.Headers.ETag!));
                var body = await after.Content.ReadAsStringAsync();
                Assert.True(after.StatusCode == HttpStatusCode.OK, $"{path}: {after.StatusCode}");
                Assert.NotEqual(earlier.Headers.ETag, after.Headers.ETag);
                Assert.DoesNotContain(edit, earlierBody, StringComparison.Ordinal);
                Assert.Contains(edit, body, StringComparison.Ordinal);
                earlier.Dispose();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(LinkingPages))]
    public async Task EachHostGetsItsOwnDocumentAndEachStaysInMemory(string path)
    {
        var (host, store) = await StartOnSamplesAsync();
        await using var _ = host;

        using var own = await host.Client.GetAsync(path);
        var calls = store.Calls;
        using var other = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.Host = OtherHost);
        var otherCalls = store.Calls - calls;
        using var ownAgain = await host.Client.GetAsync(path);
        using var otherAgain = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.Host = OtherHost);

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.DoesNotContain(OtherHost, await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"http://{OtherHost}/", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEqual(own.Headers.ETag, other.Headers.ETag);
        Assert.True(otherCalls > 0, "the other Host's document is rendered for it");
        Assert.Equal(own.Headers.ETag, ownAgain.Headers.ETag);
        Assert.Equal(other.Headers.ETag, otherAgain.Headers.ETag);
        Assert.Equal(calls + otherCalls, store.Calls);
    }

    [Theory]
    [MemberData(nameof(UnlinkedPages))]
    public async Task AStatusDocumentWithoutLinksIsOneDocumentWhateverTheHostAndNeverReadsIt(string path)
    {
        var (host, store) = await StartOnSamplesAsync();
        await using var _ = host;

        using var own = await host.Client.GetAsync(path);
        var calls = store.Calls;
        using var other = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.Host = OtherHost);
        // A Host that makes no URL is refused only where links are built from it.
        var unusable = await RawHttp.StatusLineAsync(host, RawHttp.Get("/" + path, "xn--"));

        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(own.Headers.ETag, other.Headers.ETag);
        Assert.Equal(await own.Content.ReadAsByteArrayAsync(), await other.Content.ReadAsByteArrayAsync());
        Assert.Equal("HTTP/1.1 200 OK", unusable);
        Assert.Equal(calls, store.Calls);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AClientOverItsLimitCausesNoRenderingOfAPage(string path)
    {
        var (host, store) = await StartOnSamplesAsync("--Publishing:RateLimit:PermitLimit=1", "--Publishing:RateLimit:Window=00:10:00");
        await using var _ = host;

        using var first = await host.Client.GetAsync(path);
        var calls = store.Calls;
        // A new document where links come from the Host, the same one elsewhere: either way a full response, over the limit.
        using var second = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.Host = OtherHost);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(calls, store.Calls);
    }

    [Fact]
    public async Task AnArchiveRequestCountsTheArchivePagesOnlyInARenderingSlot()
    {
        GatedStore store = null!;
        await using var host = await ServiceHost.StartWithServicesAsync(services => store = CountingStore.Replace<GatedStore>(services), null,
            "--Publishing:FeedSize=3", "--Publishing:MaxConcurrentRenders=1", "--Publishing:RenderWaitTimeout=00:00:00", "--Publishing:RateLimit:PermitLimit=0");
        // A filtered rendering takes the one slot and holds it, waiting in the store.
        var filtered = host.Client.GetAsync("feeds/news.rss?q=cooperative");
        Assert.True(await store.Arrivals.WaitAsync(TimeSpan.FromSeconds(30)));
        var counted = store.CallsTo(nameof(IItemStore.CountItemsAsync));

        using var existing = await host.Client.GetAsync("feeds/news/archive/1.rss");
        using var misspelled = await host.Client.GetAsync("feeds/news/archive/01.rss");
        var countedMeanwhile = store.CallsTo(nameof(IItemStore.CountItemsAsync)) - counted;
        store.Open();
        using var filteredResponse = await filtered;
        using var later = await host.Client.GetAsync("feeds/news/archive/1.rss");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, existing.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, misspelled.StatusCode);
        Assert.Equal(0, countedMeanwhile);
        Assert.Equal(HttpStatusCode.OK, filteredResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    /// <summary>
    /// The service on the samples with its store counted and a clock that does not move (no poll, reload or run starts
    /// while the test counts), once its start-up reads are over.
    /// </summary>
    private static async Task<(ServiceHost Host, CountingStore Store)> StartOnSamplesAsync(params string[] configArgs)
    {
        CountingStore store = null!;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = await ServiceHost.StartWithServicesAsync(services =>
        {
            store = CountingStore.Replace<CountingStore>(services);
            services.AddSingleton<TimeProvider>(clock);
        }, null, configArgs);
        await SettleAsync(host);
        return (host, store);
    }

    /// <summary>One more look at the store, which finds it where the poller's look at start did: the counts start after it.</summary>
    private static Task SettleAsync(ServiceHost host) =>
        host.Services.GetServices<IHostedService>().OfType<StoreVersionPoller>().Single().PollOnceAsync(CancellationToken.None);
}
