using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoopFeeds.Tests.Publishing;

/// <summary>WebSub publishing: hub and self in Link headers, and a publish ping per feed URL when a section changes.</summary>
public sealed class WebSubTests
{
    private const string PublicBase = "https://feeds.example.org/";

    [Fact]
    public async Task FirstIngestPingsTheHubForEveryFeedOfEverySectionAndTheCombinedFeed()
    {
        var expected = Served.Sections.Append("all")
            .SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/{slug}.{ext}"))
            .ToHashSet();
        await using var hub = await RecordingHub.StartAsync(expected);
        await using var host = await ServiceHost.StartAsync(null, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}");

        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(hub.Pings, ping => Assert.Equal("publish", ping.Mode));
        Assert.All(hub.Pings, ping => Assert.Equal("application/x-www-form-urlencoded", ping.ContentType));
        // Hubs differ in which name they read for the feed that changed, so it goes under both.
        Assert.All(hub.Pings, ping => Assert.Equal(ping.Url, ping.Topic));
        Assert.Equal(expected.Order(), hub.Pings.Select(p => p.Url).Distinct().Order());
    }

    [Fact]
    public async Task ChangeInOneSectionPingsOnlyThatSectionAndTheCombinedFeed()
    {
        // Only one source runs at start, so the first pass makes exactly one round of pings; ingesting
        // five sources would send the combined feed's pings once per source, at times no test can fix.
        var folder = Cli.CoopFeedsProcess.CopyOfSamples();
        var sourcesPath = Path.Combine(folder, "sources.json");
        var file = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sourcesPath))!;
        foreach (var source in file["Sources"]!.AsArray())
            source!["Enabled"] = source["Id"]!.GetValue<string>() == "ilo-coop-resources";
        File.WriteAllText(sourcesPath, file.ToJsonString());

        var first = new[] { "resources", "all" }.SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/{slug}.{ext}")).ToHashSet();
        await using var hub = await RecordingHub.StartAsync(first);
        await using var host = await ServiceHost.StartAsync(sourcesPath, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}");
        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        var second = new[] { "news", "all" }.SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/{slug}.{ext}")).ToHashSet();
        var next = hub.Expect(second);
        host.Services.GetRequiredService<CoopFeeds.Changes.FeedChangeSignal>().Notify("news");
        await next.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(first.Order(), hub.Pings.Take(first.Count).Select(p => p.Url).Order());
        Assert.Equal(second.Order(), hub.Pings.Skip(first.Count).Select(p => p.Url).Order());
    }

    [Fact]
    public async Task FailedPingIsRetried()
    {
        var expected = new[] { "rss", "atom", "json" }.Select(ext => $"{PublicBase}feeds/news.{ext}").ToHashSet();
        await using var hub = await RecordingHub.StartAsync(expected, failFirst: 1);
        await using var host = await ServiceHost.StartAsync(null, $"--Publishing:HubUrl={hub.Url}", $"--Publishing:PublicBaseUrl={PublicBase}",
            "--Publishing:HubRetryDelay=00:00:00.010");

        await hub.AllReceived.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(500, hub.Pings[0].Answered);
        Assert.Equal(hub.Pings[0].Url, hub.Pings[1].Url);
        Assert.Equal(204, hub.Pings[1].Answered);
    }

    [Fact]
    public async Task FeedsCarryHubAndSelfInLinkHeaderAndBody()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:HubUrl=https://hub.example.org/", $"--Publishing:PublicBaseUrl={PublicBase}");

        foreach (var extension in new[] { "rss", "atom", "json" })
        {
            using var get = await host.Client.GetAsync($"feeds/news.{extension}");
            using var head = await host.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"feeds/news.{extension}"));
            var body = await get.Content.ReadAsStringAsync();

            var link = $"<https://hub.example.org/>; rel=\"hub\", <{PublicBase}feeds/news.{extension}>; rel=\"self\"";
            Assert.Equal(link, string.Join(", ", get.Headers.GetValues("Link")));
            Assert.Equal(link, string.Join(", ", head.Headers.GetValues("Link")));
            Assert.Contains("https://hub.example.org/", body, StringComparison.Ordinal);
            Assert.Contains($"{PublicBase}feeds/news.{extension}", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithoutHubThereIsNoLinkHeader()
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync("feeds/news.atom");

        Assert.False(response.Headers.Contains("Link"));
    }

    /// <summary>A loopback Kestrel "hub" that records each POST and completes a task once every expected topic has been pinged.</summary>
    private sealed class RecordingHub : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<Ping> _pings = new();
        private readonly object _gate = new();
        private HashSet<string> _waitingFor;
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failuresLeft;

        private RecordingHub(WebApplication app, HashSet<string> expected, int failFirst)
        {
            _app = app;
            _waitingFor = [.. expected];
            _failuresLeft = failFirst;
            AllReceived = _done.Task;
        }

        public Uri Url { get; private set; } = null!;
        public Task AllReceived { get; }
        public List<Ping> Pings => [.. _pings];

        /// <summary>A task that completes when every URL of <paramref name="expected"/> has been pinged from now on.</summary>
        public Task Expect(HashSet<string> expected)
        {
            lock (_gate)
            {
                _waitingFor = [.. expected];
                _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return _done.Task;
            }
        }

        public static async Task<RecordingHub> StartAsync(HashSet<string> expected, int failFirst = 0)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var hub = new RecordingHub(app, expected, failFirst);
            app.MapPost("/hub", hub.ReceiveAsync);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            hub.Url = new Uri(address + "/hub");
            return hub;
        }

        private async Task<IResult> ReceiveAsync(HttpRequest request)
        {
            var form = await request.ReadFormAsync();
            var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 204;
            var url = form["hub.url"].ToString();
            _pings.Enqueue(new Ping(form["hub.mode"].ToString(), url, form["hub.topic"].ToString(), request.ContentType?.Split(';')[0] ?? "", status));
            if (status == 204)
            {
                lock (_gate)
                {
                    _waitingFor.Remove(url);
                    if (_waitingFor.Count == 0) _done.TrySetResult();
                }
            }
            return Results.StatusCode(status);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed record Ping(string Mode, string Url, string Topic, string ContentType, int Answered);
}
