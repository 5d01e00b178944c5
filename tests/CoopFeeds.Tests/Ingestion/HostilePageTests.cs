using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Storage;
using CoopFeeds.Tests.Publishing;
using Microsoft.Extensions.Logging;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>Pages made to hurt: the service names what it refused or cut, keeps what it had, and serves valid feeds.</summary>
public sealed class HostilePageTests
{
    /// <summary>Room for the megabyte pages below (the fault tests' own cap is 64 KiB).</summary>
    private const string LargeBodies = "--Ingestion:MaxBodyBytes=4000000";

    [Fact]
    public async Task ADeeplyNestedPageIsRefusedUnparsedAndTheStoredItemsAreKept()
    {
        await using var site = await FaultSite.StartAsync();
        // 50,000 levels in 250 KB: many seconds of parsing for AngleSharp (200,000 take minutes), a linear scan for the check.
        var deep = "<!DOCTYPE html><html><body><ul>" + string.Concat(Enumerable.Repeat("<div>", 50_000)) + "</ul></body></html>";
        site.Serve("/news", FaultSite.Sequence(FaultSite.Html(FaultSite.Listing(3)), FaultSite.Html(deep)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync(LargeBodies);
        var before = await host.FeedItemsAsync();
        Assert.Equal(3, before.Count);

        var report = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.TooDeeplyNested, report.Outcome.Kind);
        Assert.StartsWith("page too deeply nested", report.Outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(0, report.Saved.New + report.Saved.Updated);
        var status = await host.StatusAsync("news");
        Assert.Equal("failing", status.GetProperty("state").GetString());
        Assert.Equal("TooDeeplyNested", status.GetProperty("lastOutcome").GetString());
        Assert.StartsWith("page too deeply nested", status.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await host.FeedItemsAsync());
    }

    [Fact]
    public async Task AMegabyteSummaryIsCutWithAWarningAndTheFeedsStayValid()
    {
        await using var site = await FaultSite.StartAsync();
        var paragraph = "<p>Cooperatives &amp; mutuals grow <a href=\"/report\">across Europe</a>, says the report.</p>";
        var summary = string.Concat(Enumerable.Repeat(paragraph, 1_000_000 / paragraph.Length + 1));
        var page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>News</title></head><body><ul>"
            + "<li class=\"item\"><a href=\"/news/1\">A long one</a> <time datetime=\"2025-01-02\">2 January 2025</time>"
            + $"<div class=\"summary\">{summary}</div></li></ul></body></html>";
        site.Serve("/news", FaultSite.Html(page));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync(LargeBodies);

        var report = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.Success, report.Outcome.Kind);
        Assert.Contains(report.Warnings, w => w.Contains($"summary cut to {NormalizationLimits.DefaultMaxSummaryChars} characters", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("feeds/faults.json"));
        var html = json.RootElement.GetProperty("items")[0].GetProperty("content_html").GetString()!;
        Assert.InRange(html.Length, NormalizationLimits.DefaultMaxSummaryChars / 2, NormalizationLimits.DefaultMaxSummaryChars);
        Assert.EndsWith("…</p>", html, StringComparison.Ordinal);

        var rss = new Uri(host.Address, "feeds/faults.rss");
        var atom = new Uri(host.Address, "feeds/faults.atom");
        RealParsers.FeedParser(await Served.GetBytesAsync(host, "feeds/faults.rss"), Served.RssType, "rss20", rss);
        var atomBody = await Served.GetBytesAsync(host, "feeds/faults.atom");
        RealParsers.FeedParser(atomBody, Served.AtomType, "atom10", atom);
        RealParsers.AssertValidAtom(atomBody, atom);
        var entry = XDocument.Parse(Encoding.UTF8.GetString(atomBody)).Descendants(Served.Atom + "entry").Single();
        var content = entry.Elements().Single(e => e.Name.LocalName is "summary" or "content").Value;
        Assert.True(content.Length <= NormalizationLimits.DefaultMaxSummaryChars, $"{content.Length} characters");
    }

    [Fact]
    public async Task CredentialsInASourceUrlShowNowhere()
    {
        await using var site = await FaultSite.StartAsync();
        var listing = FaultSite.Listing(2).Replace("Summary of news", "<a href=\"#top\">Top</a> <a href=\"more.html\">More</a> of news");
        site.Serve("/news", FaultSite.Html(listing));
        var authority = $"reader:s3cret@{site.BaseAddress.Authority}";
        await using var file = FaultSources.Write(
            new SourceSpec("news", $"http://{authority}/news?token=t0k3n&page=1"),
            new SourceSpec("missing", $"http://{authority}/missing?api_key=k3y"));
        var logs = new CapturedLogs();
        await using var host = await ServiceHost.StartWithServicesAsync(
            services => services.AddSingleton<ILoggerProvider>(logs), file.Path,
            [.. FaultSources.FastSettings, "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Polly=Trace"]);

        Assert.Equal(2, (await host.FeedItemsAsync()).Count);
        Assert.Equal("failing", (await host.StatusAsync("missing")).GetProperty("state").GetString());
        var shown = new Dictionary<string, string>();
        foreach (var path in new[] { "feeds/faults.rss", "feeds/faults.atom", "feeds/faults.json", "feeds/all.json", "sources", "api/sources", "sources.atom", "feeds.opml", "" })
            shown[path] = await host.Client.GetStringAsync(path);
        shown["logs"] = string.Join("\n", logs.Entries);

        Assert.Contains("http://***@", shown["api/sources"], StringComparison.Ordinal); // shown, redacted
        Assert.Contains("news/1", shown["feeds/faults.json"], StringComparison.Ordinal);
        Assert.Contains(site.BaseAddress.Authority, shown["logs"], StringComparison.Ordinal);
        foreach (var (where, text) in shown)
        {
            foreach (var secret in new[] { "s3cret", "t0k3n", "k3y" })
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{secret} in {where}: {Around(text, secret)}");
        }
    }

    private static string Around(string text, string secret)
    {
        var at = text.IndexOf(secret, StringComparison.Ordinal);
        return text[Math.Max(0, at - 200)..Math.Min(text.Length, at + 100)];
    }
}
