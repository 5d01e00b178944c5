using System.Text.Json;
using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// A maintainer edits a source: the next run reads the page afresh with the new definition, whatever the site's validators
/// or the drift baseline the old definition left behind.
/// </summary>
public sealed class SourceEditTests
{
    /// <summary>The watcher stays out of it: each test reloads the file itself, so it knows which run to wait for.</summary>
    private const string NoWatching = "--Sources:ReloadInterval=01:00:00";

    private static readonly Dictionary<string, string> WithoutSummary = new()
    {
        ["Item"] = "li.item", ["Title"] = "a", ["Link"] = "a@href", ["Date"] = "time@datetime",
    };

    [Fact]
    public async Task AddingASummarySelectorSendsAnUnconditionalRequestAndTheFeedGetsSummaries()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3), etag: "\"v1\""));
        var before = new SourceSpec("news", site.Url("/news")) { Selectors = WithoutSummary };
        await using var file = FaultSources.Write(before);
        await using var host = await file.StartServiceAsync(NoWatching);
        Assert.All(await FeedSummariesAsync(host), s => Assert.Null(s));
        Assert.Equal(OutcomeKind.NotModified, (await host.RunAsync("news")).Outcome.Kind); // the page is unchanged: 304

        await host.EditAsync(file, before with { Selectors = null });

        Assert.Equal("", site.Requests.Last(r => r.Path == "/news").IfNoneMatch);
        var status = await host.StatusAsync("news");
        Assert.Equal("Success", status.GetProperty("lastOutcome").GetString());
        Assert.Equal(3, status.GetProperty("itemsFound").GetInt32());
        Assert.Equal(["Summary of news 3.", "Summary of news 2.", "Summary of news 1."], await FeedSummariesAsync(host));

        // Once the new definition has read the page, the site's validators are good again.
        Assert.Equal(OutcomeKind.NotModified, (await host.RunAsync("news")).Outcome.Kind);
        Assert.Equal("\"v1\"", site.Requests.Last(r => r.Path == "/news").IfNoneMatch);
    }

    [Fact]
    public async Task ASiteThatNowShowsFewerItemsStaysDegradedUntilTheSourceIsEditedThenItsItemsAreSaved()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(10)));
        var before = new SourceSpec("news", site.Url("/news"));
        await using var file = FaultSources.Write(before);
        await using var host = await file.StartServiceAsync(NoWatching);

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(4, first: 20)));
        Assert.Equal(OutcomeKind.Degraded, (await host.RunAsync("news")).Outcome.Kind);
        Assert.Equal(OutcomeKind.Degraded, (await host.RunAsync("news")).Outcome.Kind); // degraded runs never move the baseline
        Assert.Equal(10, (await host.FeedItemsAsync()).Count);

        // The maintainer looks, finds the selectors right and the site simply shorter, and says so by editing the source.
        await host.EditAsync(file, before with { Interval = "02:00:00" });

        var status = await host.StatusAsync("news");
        Assert.Equal("healthy", status.GetProperty("state").GetString());
        Assert.Equal(4, status.GetProperty("itemsNew").GetInt32());
        Assert.Equal(14, (await host.FeedItemsAsync()).Count);
        // Four is the new normal: the next run of the same page is healthy too.
        Assert.Equal(OutcomeKind.Success, (await host.RunAsync("news")).Outcome.Kind);
    }

    private static async Task<IReadOnlyList<string?>> FeedSummariesAsync(ServiceHost host)
    {
        using var feed = JsonDocument.Parse(await host.Client.GetStringAsync("feeds/faults.json"));
        return [.. feed.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.TryGetProperty("summary", out var summary) ? summary.GetString() : null)];
    }
}
