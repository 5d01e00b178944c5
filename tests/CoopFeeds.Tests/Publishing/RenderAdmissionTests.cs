using System.Net;
using CoopFeeds.Changes;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// A document the cache does not hold takes the client's permit before it is rendered, and renderings run at most
/// Publishing:MaxConcurrentRenders at once: a client over its limit costs the service no store read, and a flood of new
/// addresses cannot take every core. Renderings are counted by the service's own "coopfeeds.feed.renders" metric.
/// </summary>
public sealed class RenderAdmissionTests
{
    private const string Renders = "coopfeeds.feed.renders";

    [Fact]
    public async Task AClientOverItsLimitCausesNoRendering()
    {
        // A clock that does not move: no store-version poll renews the cached documents while the test counts on them.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithClockAsync(clock, null, "--Publishing:RateLimit:PermitLimit=1", "--Publishing:RateLimit:Window=00:10:00");
        using var meters = new ServiceMeters(host);

        using var first = await host.Client.GetAsync("feeds/news.rss");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Client.GetAsync($"feeds/news.rss?q=word{i}");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.TooManyRequests, status));
        Assert.Equal(1, meters.Read(Renders));
    }

    [Fact]
    public async Task ARevalidationOfADocumentNotInTheCacheTakesAPermit()
    {
        // A clock that does not move: no store-version poll renews the cached documents while the test counts on them.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithClockAsync(clock, null, "--Publishing:RateLimit:PermitLimit=1", "--Publishing:RateLimit:Window=00:10:00");
        using var first = await host.Client.GetAsync("feeds/news.atom");
        using var cached = await RevalidateAsync(host, "feeds/news.atom", first);

        // A change elsewhere: every document is rendered afresh on its next request, this one to the same bytes.
        host.Services.GetRequiredService<FeedChangeSignal>().Notify("publications");
        using var afterChange = await RevalidateAsync(host, "feeds/news.atom", first);

        Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode); // from memory: free
        Assert.Equal(HttpStatusCode.TooManyRequests, afterChange.StatusCode); // would need a rendering: the permit comes first
    }

    [Fact]
    public async Task NoMoreRenderingsRunAtOnceThanMaxConcurrentRendersAndTheRestAreAnswered503()
    {
        GatedStore store = null!;
        await using var host = await ServiceHost.StartWithServicesAsync(services => store = CountingStore.Replace<GatedStore>(services), null,
            "--Publishing:MaxConcurrentRenders=2", "--Publishing:RenderWaitTimeout=00:00:00", "--Publishing:RateLimit:PermitLimit=0");

        var requests = Enumerable.Range(0, 5).Select(i => host.Client.GetAsync($"feeds/all.rss?q=word{i}")).ToList();
        // Each request either reaches the store (and stays there until the gate opens) or is answered without it.
        foreach (var request in requests) _ = request.ContinueWith(_ => store.Arrivals.Release(), TaskScheduler.Default);
        for (var i = 0; i < requests.Count; i++) Assert.True(await store.Arrivals.WaitAsync(TimeSpan.FromSeconds(30)));

        var refused = requests.Where(r => r.IsCompleted).Select(r => r.Result).ToList();
        var waiting = requests.Where(r => !r.IsCompleted).ToList();
        store.Open();
        var served = await Task.WhenAll(waiting);

        Assert.Equal(2, store.MostInside);
        Assert.Equal(3, refused.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All(refused, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1)));
        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    [Fact]
    public async Task ARequestWaitsForARenderingSlotRatherThanRunningBesideTheOthers()
    {
        GatedStore store = null!;
        await using var host = await ServiceHost.StartWithServicesAsync(services => store = CountingStore.Replace<GatedStore>(services), null,
            "--Publishing:MaxConcurrentRenders=1", "--Publishing:RenderWaitTimeout=00:01:00", "--Publishing:RateLimit:PermitLimit=0");
        using var meters = new ServiceMeters(host);

        var first = host.Client.GetAsync("feeds/news.rss?q=cooperative");
        Assert.True(await store.Arrivals.WaitAsync(TimeSpan.FromSeconds(30)));
        var second = host.Client.GetAsync("feeds/news.rss?q=labour");
        await meters.WaitForAsync("coopfeeds.feed.renders.waiting", waiting => waiting == 1);
        store.Open();
        using var firstResponse = await first;
        using var secondResponse = await second;

        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, secondResponse.StatusCode);
        Assert.Equal(1, store.MostInside);
        Assert.Equal(2, meters.Read(Renders));
    }

    private static async Task<HttpResponseMessage> RevalidateAsync(ServiceHost host, string path, HttpResponseMessage earlier)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(earlier.Headers.ETag!);
        return await host.Client.SendAsync(request);
    }
}
