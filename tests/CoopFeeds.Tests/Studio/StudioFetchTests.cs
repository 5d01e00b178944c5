using System.Net;
using CoopFeeds.Fetching;
using CoopFeeds.Tests.Ingestion;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// The studio fetches through ingestion's fetcher and its network rule: public addresses only unless
/// Studio:AllowPrivateNetworks, every redirect checked, http(s) only, a limit per token, and pages kept for a bounded time.
/// </summary>
public sealed class StudioFetchTests
{
    [Fact]
    public async Task AFetchTellsStatusFinalAddressCharsetAndSizeAndKeepsThePage()
    {
        await using var site = await FaultSite.StartAsync();
        var page = FaultSite.Listing(4);
        site.Serve("/news", FaultSite.Html(page, "text/html; charset=iso-8859-1"));
        site.Serve("/old-news", FaultSite.Redirect("/news", 301));
        await using var studio = await StudioHost.StartAsync();

        var fetched = await studio.PostJsonAsync("studio/api/fetch", new { url = site.Url("/old-news").AbsoluteUri });

        Assert.Matches("^[0-9a-f]{32}$", fetched.GetProperty("fetchId").GetString());
        Assert.Equal(200, fetched.GetProperty("status").GetInt32());
        Assert.Equal(site.Url("/news").AbsoluteUri, fetched.GetProperty("finalUrl").GetString());
        Assert.Equal("windows-1252", fetched.GetProperty("charset").GetString(), ignoreCase: true); // what iso-8859-1 means (WHATWG)
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(page), fetched.GetProperty("bytes").GetInt64());
        Assert.True(fetched.GetProperty("ms").GetInt64() >= 0);
    }

    [Fact]
    public async Task ALoopbackOrPrivateAddressIsRefusedWithAReasonUnlessStudioAllowsPrivateNetworks()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync(allowPrivateNetworks: false);

        var loopback = await studio.PostJsonAsync("studio/api/fetch", new { url = site.Url("/news").AbsoluteUri }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(StudioHost.Problems(loopback), p => p.Contains("AddressRefused") && p.Contains("127.0.0.1 is a loopback address"));
        var localhost = await studio.PostJsonAsync("studio/api/fetch", new { url = $"http://localhost:{site.BaseAddress.Port}/news" }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(StudioHost.Problems(localhost), p => p.Contains("AddressRefused") && p.Contains("loopback"));
        foreach (var address in new[] { "http://10.1.2.3/", "http://192.168.0.1/", "http://100.64.0.1/", "http://[::ffff:10.0.0.1]/", "http://[fd00::1]/" })
        {
            var refused = await studio.PostJsonAsync("studio/api/fetch", new { url = address }, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(StudioHost.Problems(refused), p => p.Contains("AddressRefused") && p.Contains("private-network address"));
        }
        var metadata = await studio.PostJsonAsync("studio/api/fetch", new { url = "http://169.254.169.254/latest/meta-data/" }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(StudioHost.Problems(metadata), p => p.Contains("link-local"));
        foreach (var other in new[] { "file:///etc/passwd", "ftp://127.0.0.1/", "/etc/passwd", "news" })
        {
            var refused = await studio.PostJsonAsync("studio/api/fetch", new { url = other }, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(StudioHost.Problems(refused), p => p.Contains("not an absolute http(s) address"));
        }
        Assert.Equal(0, site.CountRequests("/news"));
        Assert.Equal(0, site.CountRequests("/robots.txt"));
    }

    [Fact]
    public async Task AHostNameThatResolvesToAPrivateAddressIsRefusedWhenItsConnectionIsOpened()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        var names = new NamesResolver(new() { ["listings.example"] = IPAddress.Loopback });
        await using var studio = await StudioHost.StartAsync(allowPrivateNetworks: false, services => services.AddSingleton<IHostResolver>(names));

        var refused = await studio.PostJsonAsync("studio/api/fetch", new { url = $"http://listings.example:{site.BaseAddress.Port}/news" }, HttpStatusCode.UnprocessableEntity);

        Assert.Contains(StudioHost.Problems(refused), p => p.Contains("listings.example resolves to 127.0.0.1 (loopback)"));
        Assert.Equal(0, site.CountRequests("/news"));
    }

    [Fact]
    public async Task ARedirectToAPrivateOrLinkLocalAddressOrAFileIsRefusedEvenWhenTheFirstAddressIsAllowed()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/to-private", FaultSite.Redirect("http://10.1.2.3/news"));
        site.Serve("/to-metadata", FaultSite.Redirect("http://169.254.169.254/latest/meta-data/"));
        site.Serve("/to-file", FaultSite.Redirect("file:///etc/passwd"));
        await using var studio = await StudioHost.StartAsync(allowPrivateNetworks: true);

        foreach (var (path, reason) in new[]
        {
            ("/to-private", "10.1.2.3 is a private-network address"),
            ("/to-metadata", "169.254.169.254 is a link-local (cloud metadata) address"),
            ("/to-file", "only http and https are fetched"),
        })
        {
            var refused = await studio.PostJsonAsync("studio/api/fetch", new { url = site.Url(path).AbsoluteUri }, HttpStatusCode.UnprocessableEntity);
            Assert.Contains(StudioHost.Problems(refused), p => p.StartsWith("RedirectRefused:", StringComparison.Ordinal) && p.Contains(reason));
        }
    }

    [Fact]
    public async Task FetchesPastTheLimitOfATokenAreRefused429UntilTheWindowMoves()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync(true, services => services.AddSingleton<TimeProvider>(clock),
            "--Studio:FetchesPerWindow=2", "--Studio:FetchWindow=00:01:00");
        var news = new { url = site.Url("/news").AbsoluteUri };

        await studio.PostJsonAsync("studio/api/fetch", news);
        clock.Advance(TimeSpan.FromSeconds(30));
        await studio.PostJsonAsync("studio/api/fetch", news);
        using (var third = await studio.PostAsync("studio/api/fetch", news))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), third.Headers.RetryAfter?.Delta);
        }
        // A preview or suggestion by URL fetches too, and counts; one on a page fetched before does not.
        using (var suggest = await studio.PostAsync("studio/api/suggest", news)) Assert.Equal(HttpStatusCode.TooManyRequests, suggest.StatusCode);

        clock.Advance(TimeSpan.FromSeconds(30));
        await studio.PostJsonAsync("studio/api/fetch", news);
        Assert.Equal(3, site.CountRequests("/news"));
    }

    [Fact]
    public async Task AFetchedPageIsKeptForItsLifetimeOnly()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync(true, services => services.AddSingleton<TimeProvider>(clock), "--Studio:FetchedPageLifetime=00:10:00");
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        clock.Advance(TimeSpan.FromMinutes(9));
        await studio.PostJsonAsync("studio/api/suggest", new { fetchId });
        clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await studio.PostJsonAsync("studio/api/suggest", new { fetchId }, HttpStatusCode.UnprocessableEntity);

        Assert.Contains(StudioHost.Problems(expired), p => p.Contains("expired") && p.Contains(fetchId));
        Assert.Equal(1, site.CountRequests("/news"));
    }

    [Fact]
    public async Task FetchedPagesAreKeptWithinTheirTotalSizeTheOldestGoingFirst()
    {
        await using var site = await FaultSite.StartAsync();
        var page = FaultSite.Listing(40);
        site.Serve("/news", FaultSite.Html(page));
        var size = System.Text.Encoding.UTF8.GetByteCount(page);
        await using var studio = await StudioHost.StartAsync(true, null, $"--Studio:FetchedPagesMaxBytes={size * 2}");

        var first = await studio.FetchAsync(site.Url("/news"));
        var second = await studio.FetchAsync(site.Url("/news"));
        var third = await studio.FetchAsync(site.Url("/news"));

        await studio.PostJsonAsync("studio/api/suggest", new { fetchId = third });
        await studio.PostJsonAsync("studio/api/suggest", new { fetchId = second });
        await studio.PostJsonAsync("studio/api/suggest", new { fetchId = first }, HttpStatusCode.UnprocessableEntity);
    }

    /// <summary>Answers for a few names; every other name does not resolve.</summary>
    private sealed class NamesResolver(Dictionary<string, IPAddress> names) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(names.TryGetValue(host, out var address) ? new[] { address } : []);
    }
}
