using System.Net;
using System.Xml.Linq;
using CoopFeeds.Ingestion;
using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>Many runs against a site that keeps failing in new ways: the feed never loses an item and never repeats one.</summary>
public sealed class ManyIntervalsTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task OverManyIntervalsNoFeedLosesAnItemOrGainsADuplicate()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(6, first: 1), etag: "\"p1\""));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();

        var newest = 6;
        var published = new HashSet<string>(StringComparer.Ordinal);
        var seenKinds = new HashSet<OutcomeKind>();
        var script = new Func<SiteAnswer>[]
        {
            () => Page(ref newest, 1),
            () => FaultSite.Status(500),
            () => FaultSite.Status(503),
            () => Page(ref newest, 2),
            () => FaultSite.Html(FaultSite.Listing(6, first: newest - 5), etag: $"\"p{newest}\""), // unchanged: 304
            () => FaultSite.Status(429, retryAfter: "7200"),
            () => FaultSite.Html(FaultSite.Listing(6, first: 1, itemClass: "teaser")), // markup change
            () => Page(ref newest, 1),
            () => FaultSite.Html("<title>Sign in</title><form><input type=password></form>"),
            () => FaultSite.Status(404),
            () => FaultSite.Html(FaultSite.Listing(1, first: newest)), // far fewer items than usual
            () => Page(ref newest, 3),
            () => FaultSite.Redirect("http://169.254.169.254/"),
            () => FaultSite.Bytes("%PDF"u8.ToArray(), "application/pdf"),
            () => Page(ref newest, 0),
        };

        for (var round = 0; round < 3; round++)
        {
            foreach (var step in script)
            {
                site.Serve("/news", step());
                var report = await host.RunAsync("news");
                seenKinds.Add(report.Outcome.Kind);

                var feed = await host.FeedItemsAsync();
                var ids = feed.Select(i => i.Id).ToList();
                Assert.Equal(ids.Count, ids.Distinct().Count());
                Assert.Superset(published, ids.ToHashSet());
                Assert.DoesNotContain(feed, i => i.Title.Contains("Sign in") || i.Title.Contains("status"));
                published.UnionWith(ids);
            }
        }

        Assert.Equal(newest, published.Count);
        Assert.Equal(newest, (await host.FeedItemsAsync()).Count);
        Assert.Superset(new HashSet<OutcomeKind>
        {
            OutcomeKind.Success, OutcomeKind.NotModified, OutcomeKind.ServerError, OutcomeKind.TooManyRequests,
            OutcomeKind.Degraded, OutcomeKind.NotFound, OutcomeKind.RedirectRefused, OutcomeKind.NotHtml,
        }, seenKinds);

        var statusFeed = XDocument.Parse(await host.Client.GetStringAsync("sources.atom"));
        var entryIds = statusFeed.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ToList();
        Assert.NotEmpty(entryIds);
        Assert.Equal(entryIds.Count, entryIds.Distinct().Count());
        Assert.All(entryIds, id => Assert.StartsWith("urn:uuid:", id));
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("readyz")).StatusCode);
    }

    /// <summary>The listing with <paramref name="added"/> new items on top, six shown, with a new ETag.</summary>
    private static SiteAnswer Page(ref int newest, int added)
    {
        newest += added;
        return FaultSite.Html(FaultSite.Listing(6, first: newest - 5), etag: $"\"p{newest}\"");
    }
}
