using CoopFeeds.Changes;
using CoopFeeds.Publishing;
using CoopFeeds.Tests.Ingestion;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Publishing;

/// <summary>WebSub publishing: hub and self in Link headers, and a publish ping per feed URL when a section changes.</summary>
public sealed class WebSubTests
{
    private const string PublicBase = "https://feeds.example.org/";

    [Fact]
    public async Task FirstIngestPingsTheHubForEveryFeedOfEverySectionAndTheCombinedFeed()
    {
        var expected = Served.Sections.Append("all")
            .SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/{slug}.{ext}"))
            .ToHashSet();
        await using var hub = await RecordingHub.StartAsync(expected);
        await using var host = await ServiceHost.StartAsync(null, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}");

        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(hub.Pings, ping => Assert.Equal("publish", ping.Mode));
        Assert.All(hub.Pings, ping => Assert.Equal("application/x-www-form-urlencoded", ping.ContentType));
        // Hubs differ in which name they read for the feed that changed, so it goes under both.
        Assert.All(hub.Pings, ping => Assert.Equal(ping.Url, ping.Topic));
        Assert.Equal(expected.Order(), hub.Pings.Select(p => p.Url).Distinct().Order());
    }

    [Fact]
    public async Task ChangeInOneSectionPingsOnlyThatSectionAndTheCombinedFeed()
    {
        // Only one source runs at start, so the first pass makes exactly one round of pings; ingesting
        // five sources would send the combined feed's pings once per source, at times no test can fix.
        var folder = Cli.CoopFeedsProcess.CopyOfSamples();
        var sourcesPath = Path.Combine(folder, "sources.json");
        EnableOnly(sourcesPath, "ilo-coop-resources");

        var first = new[] { "resources", "all" }.SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/{slug}.{ext}")).ToHashSet();
        await using var hub = await RecordingHub.StartAsync(first);
        await using var host = await ServiceHost.StartAsync(sourcesPath, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}");
        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        var second = new[] { "news", "all" }.SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/{slug}.{ext}")).ToHashSet();
        var next = hub.Expect(second);
        host.Services.GetRequiredService<FeedChangeSignal>().Notify("news");
        await next.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(first.Order(), hub.Pings.Take(first.Count).Select(p => p.Url).Order());
        Assert.Equal(second.Order(), hub.Pings.Skip(first.Count).Select(p => p.Url).Order());
    }

    [Fact]
    public async Task APurgeRunFromAShellPingsTheHubItselfAndServeOnlyRendersAfresh()
    {
        var folder = Cli.CoopFeedsProcess.CopyOfSamples();
        var sourcesPath = Path.Combine(folder, "sources.json");
        EnableOnly(sourcesPath, "ilo-coop-resources");
        var resources = RecordingHub.FeedUrls(PublicBase, "resources");
        var all = RecordingHub.FeedUrls(PublicBase, "all");
        await using var hub = await RecordingHub.StartAsync([.. resources, .. all]);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var poll = TimeSpan.FromSeconds(5);
        await using var host = await ServiceHost.StartWithClockAsync(clock, sourcesPath,
            $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}", $"--Publishing:StoreVersionPollInterval={poll}");
        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30)); // serve's first pass

        // The shell's process waits one poll interval of its own settings before it pings, so that serve renders afresh first.
        var purge = await Cli.CoopFeedsProcess.RunAsync(folder, "purge", "--sources", "sources.json", "--data", host.DataDirectory,
            "--source", "ilo-coop-resources", $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}",
            "--Publishing:StoreVersionPollInterval=00:00:00.100");
        var afterPurge = hub.AcceptedCounts();
        var store = CoopFeeds.Storage.Sqlite.SqliteItemStore.ForFile(Path.Combine(host.DataDirectory, CoopFeeds.StorageSetup.StorageRegistration.DefaultFileName));
        var seen = host.Services.GetRequiredService<StoreVersionWatch>().WhenSeenAsync(await store.GetVersionAsync(CancellationToken.None));
        clock.Advance(poll);
        await seen.WaitAsync(TimeSpan.FromSeconds(30));
        // Serve pings for what it stores itself, in order: any ping it had queued for the purge would come before these.
        var barrier = hub.Expect([.. RecordingHub.FeedUrls(PublicBase, "news"), .. all]);
        host.Services.GetRequiredService<FeedChangeSignal>().Notify("news");
        await barrier.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, purge.ExitCode);
        Assert.Contains("ilo-coop-resources: removed 10 items", purge.StandardOutput);
        Assert.All(resources.Concat(all), url => Assert.Equal(2, afterPurge[url])); // serve's first pass, then the purge's
        Assert.Empty(await host.FeedItemsAsync("resources"));
        var counts = hub.AcceptedCounts();
        Assert.All(resources, url => Assert.Equal(2, counts[url]));
        Assert.All(all, url => Assert.Equal(3, counts[url]));
    }

    [Fact]
    public async Task ASourceMovedToAnotherSectionPingsBothSectionsOnceItsItemsMove()
    {
        var folder = Cli.CoopFeedsProcess.CopyOfSamples();
        var sourcesPath = Path.Combine(folder, "sources.json");
        EnableOnly(sourcesPath, "ilo-coop-resources");
        await using var hub = await RecordingHub.StartAsync(RecordingHub.FeedUrls(PublicBase, "resources", "all"));
        await using var host = await ServiceHost.StartAsync(sourcesPath, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}");
        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        var moved = hub.Expect(RecordingHub.FeedUrls(PublicBase, "news", "resources", "all"));
        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sourcesPath))!;
        file["Sources"]!.AsArray().Single(s => s!["Id"]!.GetValue<string>() == "ilo-coop-resources")!["Section"] = "news";
        File.WriteAllText(sourcesPath, file.ToJsonString());
        Assert.True(host.Services.GetRequiredService<CoopFeeds.Sources.SourceCatalogProvider>().Reload().IsValid);
        var report = await host.RunAsync("ilo-coop-resources"); // if the scheduler's rerun came first, this one moves nothing
        await moved.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, report.Saved.New + report.Saved.Updated);
        Assert.Equal(10, (await host.FeedItemsAsync("news")).Count);
        Assert.Empty(await host.FeedItemsAsync("resources"));
        var counts = hub.AcceptedCounts();
        Assert.All(RecordingHub.FeedUrls(PublicBase, "news"), url => Assert.Equal(1, counts[url]));
        Assert.All(RecordingHub.FeedUrls(PublicBase, "resources", "all"), url => Assert.Equal(2, counts[url]));
    }

    [Fact]
    public async Task FailedPingIsRetried()
    {
        var expected = new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/news.{ext}").ToHashSet();
        await using var hub = await RecordingHub.StartAsync(expected, failFirst: 1);
        await using var host = await ServiceHost.StartAsync(null, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}",
            "--Publishing:HubRetryDelay=00:00:00.010");

        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(500, hub.Pings[0].Answered);
        Assert.Equal(hub.Pings[0].Url, hub.Pings[1].Url);
        Assert.Equal(204, hub.Pings[1].Answered);
    }

    [Fact]
    public async Task FeedsCarryHubAndSelfInLinkHeaderAndBody()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:HubUrl=https://hub.example.org/", $"--Publishing:PublicBaseUrl={PublicBase}");

        foreach (var extension in new[] { "rss", "atom", "json" })
        {
            using var get = await host.Client.GetAsync($"feeds/news.{extension}");
            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"feeds/news.{extension}"));
            var body = await get.Content.ReadAsStringAsync();

            var link = $"<https://hub.example.org/>; rel=\"hub\", <{PublicBase}feeds/news.{extension}>; rel=\"self\"";
            Assert.Equal(link, string.Join(", ", get.Headers.GetValues("Link")));
            Assert.Equal(link, string.Join(", ", head.Headers.GetValues("Link")));
            Assert.Contains("https://hub.example.org/", body, StringComparison.Ordinal);
            Assert.Contains($"{PublicBase}feeds/news.{extension}", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutHubThereIsNoLinkHeader()
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync("feeds/news.atom");

        Assert.False(response.Headers.Contains("Link"));
    }

    private static void EnableOnly(string sourcesPath, string sourceId)
    {
        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sourcesPath))!;
        foreach (var source in file["Sources"]!.AsArray())
            source!["Enabled"] = source["Id"]!.GetValue<string>() == sourceId;
        File.WriteAllText(sourcesPath, file.ToJsonString());
    }
}
