using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// Pages and documents with absolute links build them from the Host header when Publishing:PublicBaseUrl is unset: a Host
/// that makes no URL is answered 400 (not 500), logged at most once a minute, and a well-formed unknown Host still works.
/// </summary>
public sealed class PublicHostTests
{
    /// <summary>Every endpoint that writes absolute links.</summary>
    private static readonly string[] Linking = ["/feeds/news.rss", "/feeds/all/archive/1.atom", "/feeds.opml", "/", "/sections/news", "/sources.atom"];

    public static TheoryData<string> LinkingPaths => new(Linking);

    /// <summary>Host lines HttpClient would refuse to send, or would send only after its own checks.</summary>
    private static readonly string?[] BadHosts = ["", "a..b", "foo:99999", "xn--"];

    [Fact]
    public async Task HostsThatMakeNoUrlAreAnswered400OnEveryLinkingEndpointAndLoggedOnceAMinute()
    {
        var logs = new CapturedLogs();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await ServiceHost.StartWithServicesAsync(services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            services.AddSingleton<TimeProvider>(clock);
        }, null, "--Publishing:FeedSize=3");
        var logged = logs.Entries.Count;

        var answers = new List<string>();
        foreach (var path in Linking)
        {
            foreach (var bad in BadHosts) answers.Add($"{path} Host '{bad}': " + await RawHttp.StatusLineAsync(host, RawHttp.Get(path, bad)));
            answers.Add($"{path} HTTP/1.0 without Host: " + await RawHttp.StatusLineAsync(host, RawHttp.Get(path, host: null, "HTTP/1.0")));
        }
        var firstMinute = logs.Entries.Skip(logged).ToList();
        clock.Advance(TimeSpan.FromMinutes(1));
        await RawHttp.StatusLineAsync(host, RawHttp.Get("/feeds/news.rss", "xn--"));
        var secondMinute = logs.Entries.Skip(logged + firstMinute.Count).ToList();

        Assert.All(answers, answer => Assert.EndsWith(": HTTP/1.1 400 Bad Request", answer));
        Assert.Contains("Warning CoopFeeds.Serving.PublicHostCheck: Answered 400 to 1 requests", Assert.Single(firstMinute), StringComparison.Ordinal);
        // The requests refused since the last line are counted in the next one.
        Assert.Contains($"Answered 400 to {answers.Count} requests", Assert.Single(secondMinute), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LinkingPaths))]
    public async Task AWellFormedUnknownHostStillGetsItsOwnLinks(string path)
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:FeedSize=3");

        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        request.Headers.Host = "feeds.example.coop:8080";
        using var response = await host.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http://feeds.example.coop:8080/", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAPublicBaseUrlTheHostIsNotReadAndAnyHostIsServed()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:PublicBaseUrl=https://feeds.example.coop/");

        var status = await RawHttp.StatusLineAsync(host, RawHttp.Get("/feeds/news.rss", "xn--"));

        Assert.Equal("HTTP/1.1 200 OK", status);
    }

    [Fact]
    public async Task HealthChecksWithoutAHostStillAnswer()
    {
        await using var host = await ServiceHost.StartAsync();

        // Load balancers' checks often speak HTTP/1.0 without a Host; /healthz writes no links, so it needs none.
        var status = await RawHttp.StatusLineAsync(host, RawHttp.Get("/healthz", host: null, "HTTP/1.0"));

        Assert.Equal("HTTP/1.1 200 OK", status);
    }
}
