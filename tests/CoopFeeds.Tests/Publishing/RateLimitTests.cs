using System.Net;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// Limits on full responses per client and document: 429 with Retry-After past the limit on one document, while other
/// documents (archive back-fills) and 304 revalidations stay free.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task FullResponsesOfOneDocumentPastTheLimitAnswer429WithRetryAfter()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:RateLimit:PermitLimit=3", "--Publishing:RateLimit:Window=00:10:00");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.GetAsync("feeds/news.rss");
            statuses.Add(response.StatusCode);
        }
        // A filtered view is the same document for the limit: varying the query must not open new permits.
        using var limited = await host.Client.GetAsync("feeds/news.rss?limit=2");
        using var other = await host.Client.GetAsync("feeds/publications.atom");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        Assert.Null(limited.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task ClientFetchingManyDistinctDocumentsIsNotLimitedButHammeringOneIs()
    {
        // One item an archive page: the samples' sections and the combined feed give over 200 documents. The default
        // 120 permits; a long window only so that no window ends while the test runs.
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:FeedSize=1", "--Publishing:RateLimit:Window=00:10:00");

        var documents = new List<string>();
        foreach (var slug in Served.Sections.Append("all"))
        {
            foreach (var extension in new[] { "rss", "atom" })
            {
                var subscription = $"feeds/{slug}.{extension}";
                var newest = Served.Link(await Served.GetXmlAsync(host, subscription), "prev-archive")!;
                var pages = int.Parse(Path.GetFileNameWithoutExtension(new Uri(newest).AbsolutePath), System.Globalization.CultureInfo.InvariantCulture);
                documents.Add(subscription);
                documents.AddRange(Enumerable.Range(1, pages).Select(page => $"feeds/{slug}/archive/{page}.{extension}"));
            }
        }
        Assert.True(documents.Count >= 200, $"only {documents.Count} documents");

        // Every archive once, and each subscription document a second time (the first found its archives).
        foreach (var path in documents)
        {
            using var response = await host.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode}");
        }

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++)
        {
            using var response = await host.Client.GetAsync("feeds/news/archive/1.atom");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) Assert.NotNull(response.Headers.RetryAfter?.Delta);
        }
        // 120 permits for this document, one of which the back-fill took.
        Assert.Equal(119, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(81, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task RevalidationsThatAnswer304AreNeverLimited()
    {
        // A clock that does not move: no store-version poll renews the cached documents, whose first request after a change
        // would take a permit before rendering even to answer 304.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithClockAsync(clock, null, "--Publishing:RateLimit:PermitLimit=1", "--Publishing:RateLimit:Window=00:10:00");
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
        using var full = await host.Client.GetAsync("feeds/news.rss");
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
