namespace CoopFeeds.Tests.Ingestion;

/// <summary>An exception no outcome names still ends the run as a named failure on the source, never as "pending".</summary>
public sealed class UnexpectedExceptionTests
{
    [Fact]
    public async Task AnExceptionInARunIsRecordedOnTheSourceWithItsMessageAndNoStackTrace()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));

        // A handler in every HTTP client that fails in a way the fetcher does not expect: a stand-in for any bug.
        await using var host = await file.StartServiceAsync(services =>
            services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler(() => new ThrowingHandler())));

        var status = await host.StatusAsync("news");
        Assert.Equal("failing", status.GetProperty("state").GetString());
        Assert.Equal("InternalError", status.GetProperty("lastOutcome").GetString());
        Assert.Equal("InvalidOperationException: a handler that was never meant to throw threw", status.GetProperty("lastError").GetString());
        Assert.Equal(1, status.GetProperty("consecutiveFailures").GetInt32());
        Assert.Empty(await host.FeedItemsAsync());
    }

    private sealed class ThrowingHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a handler that was never meant to throw threw");
    }
}
