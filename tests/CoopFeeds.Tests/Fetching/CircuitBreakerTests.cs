using CoopFeeds.Core.Outcomes;
using CoopFeeds.Fetching;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Fetching;

/// <summary>The per-site circuit breaker with its shipped settings: a site that keeps failing is left alone for a while.</summary>
public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task ThreeFailedRequestsToASiteOpenItsCircuitAndItsNextFetchIsRefusedWithoutAskingIt()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Status(500));
        site.Serve("/events", FaultSite.Html(FaultSite.Listing(2)));
        await using var healthy = await FaultSite.StartAsync();
        healthy.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(
            new SourceSpec("news", site.Url("/news").AbsoluteUri, RespectRobots: false),
            new SourceSpec("events", site.Url("/events").AbsoluteUri, RespectRobots: false, Enabled: false),
            new SourceSpec("elsewhere", healthy.Url("/news").AbsoluteUri, RespectRobots: false));
        // No retries: each fetch is one request, so the count below is the breaker's, not the retry schedule's.
        var shipped = new FetchOptions();
        await using var host = await file.StartServiceAsync(
            "--Ingestion:MaxRetries=0",
            $"--Ingestion:CircuitMinimumThroughput={shipped.CircuitMinimumThroughput}",
            $"--Ingestion:CircuitBreakDuration={shipped.CircuitBreakDuration:c}");

        Assert.Equal(OutcomeKind.ServerError, (await host.RunAsync("news")).Outcome.Kind); // with the first pass: two
        Assert.Equal(OutcomeKind.ServerError, (await host.RunAsync("news")).Outcome.Kind); // three, all failed: open
        Assert.Equal(3, site.CountRequests("/news"));

        var refused = await host.RunAsync("news");

        Assert.Equal(OutcomeKind.CircuitOpen, refused.Outcome.Kind);
        Assert.Equal(3, site.CountRequests("/news"));
        var status = await host.StatusAsync("news");
        Assert.Equal("failing", status.GetProperty("state").GetString());
        Assert.Equal("CircuitOpen", status.GetProperty("lastOutcome").GetString());
        Assert.Contains($"circuit open for {site.BaseAddress.Authority}", status.GetProperty("lastError").GetString());
        Assert.Contains("(last: HTTP 500", status.GetProperty("lastError").GetString());
        // The circuit is the site's: its other pages are refused too, and other sites are still asked.
        Assert.Equal(OutcomeKind.CircuitOpen, (await host.RunAsync("events")).Outcome.Kind);
        Assert.Equal(0, site.CountRequests("/events"));
        Assert.Equal(OutcomeKind.Success, (await host.RunAsync("elsewhere")).Outcome.Kind);
    }

    [Fact]
    public async Task OneFetchThatFailsWithEveryRetryReportsItsOwnFailureNotTheCircuitItOpens()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Status(500));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news").AbsoluteUri, RespectRobots: false));
        var shipped = new FetchOptions();
        await using var host = await file.StartServiceAsync(
            "--Ingestion:MaxRetries=3", "--Ingestion:RetryBaseDelay=00:00:00.001",
            $"--Ingestion:CircuitMinimumThroughput={shipped.CircuitMinimumThroughput}",
            $"--Ingestion:CircuitBreakDuration={shipped.CircuitBreakDuration:c}");

        var status = await host.StatusAsync("news"); // the first pass: one fetch, four attempts

        Assert.Equal(4, site.CountRequests("/news"));
        Assert.Equal("ServerError", status.GetProperty("lastOutcome").GetString());
    }
}
