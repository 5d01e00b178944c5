using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>The whole service against a site that misbehaves: feeds keep their items, and /api/sources names what went wrong.</summary>
public sealed class FaultSiteTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task EveryFailureKindIsNamedInTheStatusAndNoneFailsHealthOrReadiness()
    {
        await using var site = await FaultSite.StartAsync();
        await using var transport = await TransportFaultSite.StartAsync();
        site.Serve("/forbidden", FaultSite.Status(403));
        site.Serve("/missing", FaultSite.Status(404));
        site.Serve("/gone", FaultSite.Status(410));
        site.Serve("/throttled", FaultSite.Status(429, retryAfter: "3600"));
        site.Serve("/unavailable", FaultSite.Status(503, retryAfter: "3600"));
        site.Serve("/broken", FaultSite.Status(500));
        site.Serve("/hang", site.Hang());
        site.Serve("/oversized", FaultSite.Html(FaultSite.Listing(1000))); // past MaxBodyBytes: a good page, only too big
        site.Serve("/pdf", FaultSite.Bytes("%PDF-1.7"u8.ToArray(), "application/pdf"));
        site.Serve("/empty", FaultSite.Bytes([], "text/html"));
        site.Serve("/loop", FaultSite.Redirect("/loop"));
        site.Serve("/metadata", FaultSite.Redirect("http://169.254.169.254/latest/meta-data/"));
        site.Serve("/private/page", FaultSite.Html(FaultSite.Listing(3)));
        var closedPort = ClosedLoopbackPort();
        await using var file = FaultSources.Write(
            new SourceSpec("forbidden", site.Url("/forbidden")),
            new SourceSpec("missing", site.Url("/missing")),
            new SourceSpec("gone", site.Url("/gone")),
            new SourceSpec("throttled", site.Url("/throttled")),
            new SourceSpec("unavailable", site.Url("/unavailable")),
            new SourceSpec("broken", site.Url("/broken")),
            new SourceSpec("hang", site.Url("/hang")),
            new SourceSpec("oversized", site.Url("/oversized")),
            new SourceSpec("endless", transport.EndlessBody),
            new SourceSpec("cut", transport.CutMidBody),
            new SourceSpec("pdf", site.Url("/pdf")),
            new SourceSpec("empty", site.Url("/empty")),
            new SourceSpec("loop", site.Url("/loop")),
            new SourceSpec("metadata", site.Url("/metadata")),
            new SourceSpec("robots", site.Url("/private/page")),
            new SourceSpec("refused", $"http://127.0.0.1:{closedPort}/"),
            new SourceSpec("tls", $"https://127.0.0.1:{site.BaseAddress.Port}/forbidden"),
            new SourceSpec("dns", "http://no-such-host.invalid/"));

        await using var host = await file.StartServiceAsync();

        var expected = new Dictionary<string, (OutcomeKind Kind, int? Status)>
        {
            ["forbidden"] = (OutcomeKind.Forbidden, 403),
            ["missing"] = (OutcomeKind.NotFound, 404),
            ["gone"] = (OutcomeKind.Gone, 410),
            ["throttled"] = (OutcomeKind.TooManyRequests, 429),
            ["unavailable"] = (OutcomeKind.ServerError, 503),
            ["broken"] = (OutcomeKind.ServerError, 500),
            ["hang"] = (OutcomeKind.Timeout, null),
            ["oversized"] = (OutcomeKind.TooLarge, 200),
            ["endless"] = (OutcomeKind.TooLarge, 200),
            ["cut"] = (OutcomeKind.Connection, 200),
            ["pdf"] = (OutcomeKind.NotHtml, 200),
            ["empty"] = (OutcomeKind.Empty, 200),
            ["loop"] = (OutcomeKind.TooManyRedirects, 302),
            ["metadata"] = (OutcomeKind.RedirectRefused, null),
            ["robots"] = (OutcomeKind.RobotsDisallowed, null),
            ["refused"] = (OutcomeKind.Connection, null),
            ["tls"] = (OutcomeKind.Tls, null),
            ["dns"] = (OutcomeKind.Connection, null),
        };
        foreach (var (id, (kind, status)) in expected)
        {
            var source = await host.StatusAsync(id);
            Assert.True(kind.ToString() == source.GetProperty("lastOutcome").GetString(), $"{id}: {source}");
            Assert.Equal("failing", source.GetProperty("state").GetString());
            Assert.Equal(1, source.GetProperty("consecutiveFailures").GetInt32());
            Assert.False(string.IsNullOrWhiteSpace(source.GetProperty("lastError").GetString()), id);
            if (status is not null) Assert.True(status == source.GetProperty("lastHttpStatus").GetInt32(), $"{id}: {source}");
        }

        // The site asked for an hour: the next attempt honours it rather than the retry schedule.
        var throttled = await host.StatusAsync("throttled");
        Assert.True(throttled.GetProperty("nextAttemptAt").GetDateTimeOffset() - throttled.GetProperty("lastAttemptAt").GetDateTimeOffset() >= TimeSpan.FromHours(1));
        Assert.Contains("169.254.169.254", (await host.StatusAsync("metadata")).GetProperty("lastError").GetString());
        Assert.Contains("Disallow: /private/", (await host.StatusAsync("robots")).GetProperty("lastError").GetString());
        Assert.Contains("DNS lookup of no-such-host.invalid failed", (await host.StatusAsync("dns")).GetProperty("lastError").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("readyz")).StatusCode);
        Assert.Empty(await host.FeedItemsAsync());
    }

    [Fact]
    public async Task AServerErrorKeepsTheFeedAndRecoveryClearsTheFailure()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(5)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();
        var before = await host.FeedItemsAsync();
        Assert.Equal(5, before.Count);

        site.Serve("/news", FaultSite.Status(500));
        var failed = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.ServerError, failed.Outcome.Kind);
        Assert.Equal(3, site.Requests.Count(r => r.Path == "/news") - 1); // one attempt and two retries
        var failing = await host.StatusAsync("news");
        Assert.Equal("failing", failing.GetProperty("state").GetString());
        Assert.Equal(500, failing.GetProperty("lastHttpStatus").GetInt32());
        Assert.Equal(before, await host.FeedItemsAsync());

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(6)));
        var recovered = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.Success, recovered.Outcome.Kind);
        Assert.Equal(1, recovered.Saved.New);
        var healthy = await host.StatusAsync("news");
        Assert.Equal("healthy", healthy.GetProperty("state").GetString());
        Assert.Equal(0, healthy.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(JsonValueKind.Null, healthy.GetProperty("lastError").ValueKind);
        var after = await host.FeedItemsAsync();
        Assert.Equal(6, after.Count);
        Assert.Equal(6, after.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public async Task ARetryAfterOrATimedOutAttemptEndsTheRunWhileAServerErrorIsRetried()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/throttled", FaultSite.Status(429, retryAfter: "1"));
        site.Serve("/unavailable", FaultSite.Status(503, retryAfter: "1"));
        var hangs = 0; // WireMock logs a request when it answers, which a hang never does: it counts itself on arrival
        site.Serve("/hang", site.Hang(onArrival: () => Interlocked.Increment(ref hangs)));
        site.Serve("/overloaded", FaultSite.Sequence(FaultSite.Status(503), FaultSite.Html(FaultSite.Listing(2))));
        await using var file = FaultSources.Write(
            new SourceSpec("throttled", site.Url("/throttled")),
            new SourceSpec("unavailable", site.Url("/unavailable")),
            new SourceSpec("hang", site.Url("/hang")),
            new SourceSpec("overloaded", site.Url("/overloaded")));

        await using var host = await file.StartServiceAsync(); // two retries allowed

        foreach (var (id, outcome) in new[] { ("throttled", "TooManyRequests"), ("unavailable", "ServerError"), ("hang", "Timeout") })
        {
            Assert.Equal(1, id == "hang" ? Volatile.Read(ref hangs) : site.CountRequests("/" + id));
            var status = await host.StatusAsync(id);
            Assert.Equal(outcome, status.GetProperty("lastOutcome").GetString());
            Assert.True(status.GetProperty("nextAttemptAt").GetDateTimeOffset() > status.GetProperty("lastAttemptAt").GetDateTimeOffset().AddSeconds(1));
        }
        Assert.Equal(2, site.CountRequests("/overloaded"));
        Assert.Equal("healthy", (await host.StatusAsync("overloaded")).GetProperty("state").GetString());
        Assert.Equal(2, (await host.FeedItemsAsync()).Count);
    }

    [Fact]
    public async Task AMarkupChangeMarksTheSourceDegradedInOneRunKeepsTheFeedAndRecoveryClearsIt()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(8)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();
        var before = await host.FeedItemsAsync();
        Assert.Equal(8, before.Count);

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(9, itemClass: "card")));
        var drifted = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.Degraded, drifted.Outcome.Kind);
        var degraded = await host.StatusAsync("news");
        Assert.Equal("degraded", degraded.GetProperty("state").GetString());
        Assert.Contains("Selectors.Item 'li.item' matched nothing", degraded.GetProperty("lastError").GetString());
        Assert.Equal(8, degraded.GetProperty("storedItems").GetInt32());
        Assert.Equal(before, await host.FeedItemsAsync());

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(9)));
        await host.RunAsync("news");

        Assert.Equal("healthy", (await host.StatusAsync("news")).GetProperty("state").GetString());
        Assert.Equal(9, (await host.FeedItemsAsync()).Count);
        var feed = XDocument.Parse(await host.Client.GetStringAsync("sources.atom"));
        var titles = feed.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();
        Assert.Equal(["news recovered", "news is degraded: Degraded"], titles);
    }

    [Fact]
    public async Task AFirstPageWithFarFewerItemsThanUsualIsDegradedAndSavesNothing()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(10)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(10, first: 2)));
        await host.RunAsync("news");

        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3, first: 20)));
        var report = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.Degraded, report.Outcome.Kind);
        Assert.Contains("the first page gave 3 items, under 0.5 × 10", report.Outcome.Detail);
        Assert.Equal(0, report.Saved.New);
        Assert.Equal(11, (await host.FeedItemsAsync()).Count);
    }

    [Fact]
    public async Task ALoginWallIsDegradedAndSaidToBeAWall()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(4)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();

        site.Serve("/news", FaultSite.Html("""
            <html><head><title>Sign in</title></head><body><h1>Please sign in to continue</h1>
            <form><input name="user"><input type="password" name="pw"><button>Log in</button></form></body></html>
            """));
        await host.RunAsync("news");

        var status = await host.StatusAsync("news");
        Assert.Equal("degraded", status.GetProperty("state").GetString());
        Assert.Contains("login wall (title 'Sign in')", status.GetProperty("lastError").GetString());
        Assert.Equal(4, (await host.FeedItemsAsync()).Count);
    }

    [Fact]
    public async Task ANotModifiedAnswerIsASuccessWithNothingToParse()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3), etag: "\"v1\""));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();

        var report = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.NotModified, report.Outcome.Kind);
        Assert.Equal("\"v1\"", site.Requests.Last(r => r.Path == "/news").IfNoneMatch);
        var status = await host.StatusAsync("news");
        Assert.Equal("healthy", status.GetProperty("state").GetString());
        Assert.Equal(304, status.GetProperty("lastHttpStatus").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("itemsFound").ValueKind); // nothing was read, not "0 found"
        Assert.Contains("not modified", await host.Client.GetStringAsync("sources"));
        Assert.Equal(3, (await host.FeedItemsAsync()).Count);
    }

    [Theory]
    [InlineData("text/html; charset=iso-8859-1", "")]
    [InlineData("text/html", "<meta charset=\"iso-8859-1\">")]
    public async Task ALatin1PageReadsRightFromTheHeaderOrTheMetaTag(string contentType, string meta)
    {
        await using var site = await FaultSite.StartAsync();
        var html = $"<html><head>{meta}<title>Coopératives</title></head><body><ul>"
            + "<li class=\"item\"><a href=\"/a\">Coopérative façade à Genève</a><time datetime=\"2025-02-01\">1</time></li></ul></body></html>";
        site.Serve("/news", FaultSite.Bytes(Encoding.Latin1.GetBytes(html), contentType));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));

        await using var host = await file.StartServiceAsync();

        Assert.Equal("Coopérative façade à Genève", Assert.Single(await host.FeedItemsAsync()).Title);
    }

    [Fact]
    public async Task AUtf8PageIsReadRightFromItsByteOrderMarkAlone()
    {
        await using var site = await FaultSite.StartAsync();
        var html = "<html><head><title>x</title></head><body><ul><li class=\"item\"><a href=\"/a\">Coopérative à Zürich</a></li></ul></body></html>";
        site.Serve("/news", FaultSite.Bytes([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(html)], "text/html"));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));

        await using var host = await file.StartServiceAsync();

        Assert.Equal("Coopérative à Zürich", Assert.Single(await host.FeedItemsAsync()).Title);
    }

    [Fact]
    public async Task AMissingRobotsTxtAllowsEverythingButAnUnreachableOneStopsTheFetch()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/robots.txt", FaultSite.Status(404));
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var allowed = await file.StartServiceAsync();
        Assert.Equal("healthy", (await allowed.StatusAsync("news")).GetProperty("state").GetString());

        await using var other = await FaultSite.StartAsync();
        other.Serve("/robots.txt", FaultSite.Status(500));
        other.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file2 = FaultSources.Write(new SourceSpec("news", other.Url("/news")));
        await using var refused = await file2.StartServiceAsync();

        var status = await refused.StatusAsync("news");
        Assert.Equal("failing", status.GetProperty("state").GetString());
        Assert.Contains("robots.txt", status.GetProperty("lastError").GetString());
        Assert.Equal(0, other.CountRequests("/news"));
    }

    [Fact]
    public async Task RedirectsAreFollowedAndLinksResolveAgainstTheFinalAddress()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/old", FaultSite.Redirect("/moved/", 301));
        site.Serve("/moved/", FaultSite.Html("<ul><li class=\"item\"><a href=\"story\">A story</a></li></ul>"));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/old")));

        await using var host = await file.StartServiceAsync();

        using var feed = JsonDocument.Parse(await host.Client.GetStringAsync("feeds/faults.json"));
        Assert.Equal(site.Url("/moved/story").AbsoluteUri, feed.RootElement.GetProperty("items")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task ASourceMayOptOutOfRobotsAndTheStatusSaysSo()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/private/page", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/private/page"), respectRobots: false));

        await using var host = await file.StartServiceAsync();

        var status = await host.StatusAsync("news");
        Assert.Equal("healthy", status.GetProperty("state").GetString());
        Assert.False(status.GetProperty("respectRobots").GetBoolean());
        Assert.Contains("ignores robots.txt", await host.Client.GetStringAsync("sources"));
    }

    [Fact]
    public async Task RequestsNameTheServiceAndItsContactAndRobotsIsFetchedOncePerSite()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/a", FaultSite.Html(FaultSite.Listing(1)));
        site.Serve("/b", FaultSite.Html(FaultSite.Listing(1, first: 5)));
        await using var file = FaultSources.Write(new SourceSpec("a", site.Url("/a")), new SourceSpec("b", site.Url("/b")));

        await using var host = await file.StartServiceAsync();
        await host.RunAsync("a");

        Assert.All(site.Requests, r => Assert.Contains("CoopFeeds/", r.UserAgent));
        Assert.All(site.Requests, r => Assert.Contains("https://coopfeeds.example/contact", r.UserAgent));
        Assert.Equal(1, site.CountRequests("/robots.txt"));
    }

    [Fact]
    public async Task ARunCancelledByShutdownWritesNothing()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync("--Ingestion:RequestTimeout=00:00:30");
        var before = await host.StatusAsync("news");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        site.Serve("/news", site.Hang(onArrival: () => arrived.TrySetResult()));
        using var shutdown = new CancellationTokenSource();
        var source = host.Services.GetRequiredService<CoopFeeds.Sources.SourceCatalogProvider>().Current.FindSource("news")!;

        var run = host.Services.GetRequiredService<CoopFeeds.Ingestion.SourceIngester>().IngestAsync(source, leaseHolder: null, shutdown.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await shutdown.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var after = await host.StatusAsync("news");
        Assert.Equal(before.GetProperty("lastAttemptAt").GetDateTimeOffset(), after.GetProperty("lastAttemptAt").GetDateTimeOffset());
        Assert.Equal("healthy", after.GetProperty("state").GetString());
        Assert.Equal(3, (await host.FeedItemsAsync()).Count);
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
