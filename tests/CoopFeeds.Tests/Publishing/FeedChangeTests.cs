using System.Text.Json.Nodes;
using System.Xml.Linq;
using CoopFeeds.Changes;
using CoopFeeds.Publishing;
using CoopFeeds.Storage.Sqlite;
using CoopFeeds.StorageSetup;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// Cached feeds follow every change, not only the ingester's saves in this process: a reloaded sources file, and writes to the
/// store from another process. Time is a fake clock: each test advances it by one interval and waits on the change signal.
/// </summary>
public sealed class FeedChangeTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // a safety net for a broken test, never a sleep
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5); // Sources:ReloadInterval and StoreVersionPollInterval

    [Fact]
    public async Task ReloadedSourcesFileRetitlesTheFeedAndAddsTheNewSectionToTheOpml()
    {
        var folder = Cli.CoopFeedsProcess.CopyOfSamples();
        var sourcesPath = Path.Combine(folder, "sources.json");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithClockAsync(clock, sourcesPath);
        var before = await Served.GetXmlAsync(host, "feeds/news.rss");
        var opmlBefore = await Served.GetXmlAsync(host, "feeds.opml");

        var file = JsonNode.Parse(await File.ReadAllTextAsync(sourcesPath))!;
        file["Sections"]!.AsArray().Single(s => s!["Slug"]!.GetValue<string>() == "news")!["Title"] = "Cooperative news, retitled";
        file["Sections"]!.AsArray().Add(new JsonObject { ["Slug"] = "events", ["Title"] = "Cooperative events" });
        await File.WriteAllTextAsync(sourcesPath, file.ToJsonString());
        await AdvanceAndAwaitChangeAsync(host, clock);

        var after = await Served.GetXmlAsync(host, "feeds/news.rss");
        var opmlAfter = await Served.GetXmlAsync(host, "feeds.opml");
        Assert.Equal("News on cooperatives", Title(before));
        Assert.Equal("Cooperative news, retitled", Title(after));
        Assert.Equal(Served.Sections.Length, Outlines(opmlBefore).Count);
        Assert.Equal(Served.Sections.Length + 1, Outlines(opmlAfter).Count);
        Assert.Contains("Cooperative events", Outlines(opmlAfter));
        Assert.Contains("Cooperative news, retitled", Outlines(opmlAfter));
    }

    [Fact]
    public async Task ItemsPurgedByAnotherProcessLeaveTheFeedAfterOnePollAndAreNotPingedFromHere()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithClockAsync(clock, sourcesPath: null);
        var changes = host.Services.GetRequiredService<FeedChangeSignal>().Changes;
        while (changes.TryRead(out _)) { } // the first pass's (no hub: nobody else reads them)
        var before = Served.Ids(await Served.GetXmlAsync(host, "feeds/news.atom"));
        Assert.NotEmpty(before);

        // What `purge` run from a shell does: its own store on the same file, so no signal in this process.
        var elsewhere = SqliteItemStore.ForFile(Path.Combine(host.DataDirectory, StorageRegistration.DefaultFileName));
        var removed = await elsewhere.PurgeAsync("ilo-newsroom-coop", since: null, CancellationToken.None);
        Assert.Equal(before.Count, removed);
        // Still served from the cache until the poller looks.
        Assert.Equal(before, Served.Ids(await Served.GetXmlAsync(host, "feeds/news.atom")));

        var seen = host.Services.GetRequiredService<StoreVersionWatch>().WhenSeenAsync(await elsewhere.GetVersionAsync(CancellationToken.None));
        clock.Advance(Interval);
        await seen.WaitAsync(Wait);

        Assert.Empty(Served.Ids(await Served.GetXmlAsync(host, "feeds/news.atom")));
        Assert.DoesNotContain(before[0], Served.Ids(await Served.GetXmlAsync(host, "feeds/all.atom")));
        // The process that purged tells the hub (HubPinger); this one only renders afresh, so nothing is queued here.
        Assert.False(changes.TryRead(out _));
    }

    /// <summary>
    /// Advances the clock by one interval (one tick of the watcher and the poller) and waits until a change is queued for the
    /// hub, which the signal does after moving the feeds' version. Changes queued before (the first ingest pass's) are dropped.
    /// </summary>
    private static async Task AdvanceAndAwaitChangeAsync(ServiceHost host, FakeTimeProvider clock)
    {
        var changes = host.Services.GetRequiredService<FeedChangeSignal>().Changes;
        while (changes.TryRead(out _)) { }
        var queued = changes.WaitToReadAsync().AsTask();
        clock.Advance(Interval);
        await queued.WaitAsync(Wait);
    }

    private static string Title(XDocument rss) => rss.Root!.Element("channel")!.Element("title")!.Value;

    private static List<string> Outlines(XDocument opml) =>
        opml.Root!.Element("body")!.Elements("outline").Select(o => (string)o.Attribute("text")!).ToList();
}
