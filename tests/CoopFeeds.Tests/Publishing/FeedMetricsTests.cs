namespace CoopFeeds.Tests.Publishing;

/// <summary>Feed requests and their 304s are counted per section and format in /metrics.</summary>
public sealed class FeedMetricsTests
{
    [Fact]
    public async Task FeedRequestsAndRevalidationsAreCountedPerSectionAndFormat()
    {
        await using var host = await ServiceHost.StartAsync();

        using var first = await host.Client.GetAsync("feeds/publications.atom");
        using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/publications.atom");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await host.Client.SendAsync(request);
        var metrics = await host.Client.GetStringAsync("metrics");

        Assert.Equal(System.Net.HttpStatusCode.NotModified, second.StatusCode);
        Assert.Matches("coopfeeds_feed_requests_total\\{[^}]*format=\"atom\",section=\"publications\"\\} 2", metrics);
        Assert.Matches("coopfeeds_feed_not_modified_total\\{[^}]*format=\"atom\",section=\"publications\"\\} 1", metrics);
    }
}
