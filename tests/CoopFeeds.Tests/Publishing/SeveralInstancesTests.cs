using System.Net;
using CoopFeeds.Publishing;
using CoopFeeds.Storage;
using CoopFeeds.Storage.Postgres;
using CoopFeeds.Tests.Ingestion;
using CoopFeeds.Tests.Postgres;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// Instances on one PostgreSQL database agree. A change stored through one reaches the others' caches by a notification —
/// their poll interval is an hour, so nothing else could bring it — after which every instance serves the same bytes under
/// the same ETag; the WebSub hub hears of each change once, from the instance that stored it; and while notifications
/// cannot arrive, the poll brings changes until listening resumes. Waits are on signals, with a timeout only as a safety net.
/// </summary>
public sealed class SeveralInstancesTests
{
    private const string PublicBase = "https://feeds.example.org/";
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    /// <summary>Documents rendered from the store and the sources file: the feeds, the OPML list, the index and a section page.</summary>
    private static readonly string[] Documents =
        ["feeds/faults.rss", "feeds/faults.atom", "feeds/faults.json", "feeds/all.atom", "feeds.opml", "", "sections/faults"];

    [SkippableFact]
    public async Task AChangeThroughOneInstanceReachesTheOtherByNotificationAndBothServeTheSameBytesAndETags()
    {
        await using var db = await SharedDatabase.CreateAsync();
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        string[] settings = [.. db.Settings, $"--Publishing:PublicBaseUrl={PublicBase}", "--Publishing:StoreVersionPollInterval=01:00:00"];
        await using var first = await file.StartServiceAsync(settings);
        await using var second = await file.StartServiceAsync(settings);
        var firstBefore = await FetchAsync(first);
        var secondBefore = await FetchAsync(second); // cached there now

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        var report = await first.RunAsync("news");
        await second.Services.GetRequiredService<StoreVersionWatch>().WhenSeenAsync(await VersionAsync(first)).WaitAsync(SafetyNet);
        var firstAfter = await FetchAsync(first);
        var secondAfter = await FetchAsync(second);

        Assert.Equal(1, report.Saved.New);
        Assert.Equal(firstBefore, secondBefore);
        Assert.Equal(firstAfter, secondAfter);
        // Every document that shows items changed. The OPML list shows only the sections and their newest change, to the
        // second, so when the first pass and this run share a second it is rightly the same document.
        Assert.All(Documents.Where(path => path != "feeds.opml"), path => Assert.NotEqual(secondBefore[path].ETag, secondAfter[path].ETag));
        Assert.Equal(3, (await second.FeedItemsAsync()).Count);
    }

    [SkippableFact]
    public async Task TheHubHearsOfEachChangeOnceFromTheInstanceThatStoredIt()
    {
        await using var db = await SharedDatabase.CreateAsync();
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        var round = RecordingHub.FeedUrls(PublicBase, "faults", "all");
        await using var hub = await RecordingHub.StartAsync(round);
        string[] settings = [.. db.Settings, $"--Publishing:PublicBaseUrl={PublicBase}", $"--Publishing:HubUrl={hub.Url}",
            "--Publishing:StoreVersionPollInterval=01:00:00"];
        await using var first = await file.StartServiceAsync(settings);
        await hub.AllReceived.WaitAsync(SafetyNet); // its first pass stored the two items
        await using var second = await file.StartServiceAsync(settings); // its first pass finds nothing new

        foreach (var (count, through, other) in new[] { (3, first, second), (4, second, first), (5, first, second) })
        {
            site.Serve("/news", FaultSite.Html(FaultSite.Listing(count)));
            var pinged = hub.Expect(round);
            Assert.Equal(1, (await through.RunAsync("news")).Saved.New);
            await pinged.WaitAsync(SafetyNet);
            // The other instance has learned of the change before the next one is made through it, so a ping of its own
            // for this change would reach the hub before that next round of pings.
            await other.Services.GetRequiredService<StoreVersionWatch>().WhenSeenAsync(await VersionAsync(through)).WaitAsync(SafetyNet);
        }

        var counts = hub.AcceptedCounts();
        Assert.Equal(round.Order(), counts.Keys.Order());
        Assert.All(round, url => Assert.Equal(4, counts[url])); // the first pass and three changes
    }

    [SkippableFact]
    public async Task WhileItsConnectionIsDownThePollBringsChangesAndListeningResumesAfterTheRetryDelay()
    {
        await using var db = await SharedDatabase.CreateAsync();
        var poll = TimeSpan.FromSeconds(5);
        var retry = StoreNotificationListener.FirstRetryDelay;
        Assert.True(retry < poll);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        await using var host = await ServiceHost.StartWithServicesAsync(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddSingleton<TimeProvider>(clock);
        }, null, [.. db.Settings, $"--Publishing:StoreVersionPollInterval={poll}",
            $"--Logging:LogLevel:{typeof(StoreNotificationListener).FullName}=Information"]);
        var watch = host.Services.GetRequiredService<StoreVersionWatch>();
        await using var elsewhere = new PostgresItemStore(db.ConnectionString); // as another instance's

        // Listening: a change made elsewhere arrives with the clock standing still.
        await PurgeAndAwaitAsync("ilo-newsroom-coop");
        // Just before the poll's first tick, the listening connection is dropped.
        clock.Advance(poll - retry / 2);
        var down = logs.WhenLoggedAsync("Not listening for store changes");
        Assert.Equal(["True"], await db.QueryAsync($"""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = '{PostgresStoreListener.ApplicationName}';
            """));
        await down.WaitAsync(SafetyNet);
        // The poll's tick comes before the retry: it alone brings this change.
        await PurgeAndAwaitAsync("ilo-coop-resources", advance: retry / 2);
        // The retry listens again, and changes arrive with the clock standing still once more.
        var back = logs.WhenLoggedAsync("Listening for store changes again");
        clock.Advance(retry);
        await back.WaitAsync(SafetyNet);
        await PurgeAndAwaitAsync("ilo-coop-publications");

        Assert.Single(logs.Entries, e => e.Contains("Not listening for store changes", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("feeds/resources.json")).StatusCode);
        Assert.Empty((await host.FeedItemsAsync("resources")));

        async Task PurgeAndAwaitAsync(string sourceId, TimeSpan? advance = null)
        {
            Assert.True(await elsewhere.PurgeAsync(sourceId, since: null, CancellationToken.None) > 0);
            var seen = watch.WhenSeenAsync(await elsewhere.GetVersionAsync(CancellationToken.None));
            if (advance is { } by) clock.Advance(by);
            await seen.WaitAsync(SafetyNet);
        }
    }

    private static Task<long> VersionAsync(ServiceHost host) =>
        host.Services.GetRequiredService<IItemStore>().GetVersionAsync(CancellationToken.None);

    /// <summary>Each of <see cref="Documents"/> as served: body, ETag and Last-Modified.</summary>
    private static async Task<Dictionary<string, Fetched>> FetchAsync(ServiceHost host)
    {
        var fetched = new Dictionary<string, Fetched>(StringComparer.Ordinal);
        foreach (var path in Documents)
        {
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            fetched[path] = new Fetched(await response.Content.ReadAsStringAsync(), response.Headers.ETag?.Tag, response.Content.Headers.LastModified);
        }
        return fetched;
    }

    private sealed record Fetched(string Body, string? ETag, DateTimeOffset? LastModified);
}
