using System.Net;

namespace CoopFeeds.Tests.Publishing;

/// <summary>Per-client limits on full responses: 429 with Retry-After past the limit, while 304 revalidations stay free.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task FullResponsesPastTheLimitAnswer429WithRetryAfter()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:RateLimit:PermitLimit=3", "--Publishing:RateLimit:Window=00:10:00");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.GetAsync(i % 2 == 0 ? "feeds/news.rss" : "feeds/publications.atom");
            statuses.Add(response.StatusCode);
        }
        using var limited = await host.Client.GetAsync("feeds.opml");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Null(limited.Headers.ETag);
    }

    [Fact]
    public async Task RevalidationsThatAnswer304AreNeverLimited()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:RateLimit:PermitLimit=2", "--Publishing:RateLimit:Window=00:10:00");
        using var rss = await host.Client.GetAsync("feeds/news.rss");
        using var atom = await host.Client.GetAsync("feeds/news.atom");

        for (var i = 0; i < 50; i++)
        {
            var (path, tag) = i % 2 == 0 ? ("feeds/news.rss", rss.Headers.ETag!) : ("feeds/news.atom", atom.Headers.ETag!);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.IfNoneMatch.Add(tag);
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        }
        using var full = await host.Client.GetAsync("feeds/news.json");
        Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);
    }

    [Fact]
    public async Task DefaultLimitIsGenerous()
    {
        await using var host = await ServiceHost.StartAsync();

        for (var i = 0; i < 100; i++)
        {
            using var response = await host.Client.GetAsync("feeds/news.rss");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
