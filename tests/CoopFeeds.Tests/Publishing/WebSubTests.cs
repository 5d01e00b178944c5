using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

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

    /// <summary>
    /// A WireMock.Net "hub" on a loopback port: POST /hub answers 204, after 500 to the first <c>failFirst</c> pings (a
    /// scenario that holds its first state for that many requests). The pings are read back from WireMock's request log,
    /// which records each one before its answer leaves; <see cref="AllReceived"/> completes once every expected URL has had a 204.
    /// </summary>
    private sealed class RecordingHub : IAsyncDisposable
    {
        private readonly WireMockServer _server;
        private readonly object _gate = new();
        private HashSet<string> _waitingFor;
        private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private RecordingHub(WireMockServer server, HashSet<string> expected)
        {
            _server = server;
            _waitingFor = [.. expected];
            AllReceived = _done.Task;
            Url = new Uri($"http://127.0.0.1:{server.Ports[0]}/hub");
            server.LogEntriesChanged += (_, change) =>
            {
                foreach (var ping in change.NewItems?.OfType<ILogEntry>().Select(ToPing) ?? []) Received(ping);
            };
        }

        public Uri Url { get; }
        public Task AllReceived { get; }
        public List<Ping> Pings => [.. _server.LogEntries.Select(ToPing)];

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

        /// <summary>Starts the server off the caller's thread: WireMock waits for Kestrel synchronously.</summary>
        public static Task<RecordingHub> StartAsync(HashSet<string> expected, int failFirst = 0) => Task.Run(() =>
        {
            var server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] });
            var ping = Request.Create().WithPath("/hub").UsingPost();
            var accepted = Response.Create().WithStatusCode(204);
            if (failFirst == 0)
            {
                server.Given(ping).RespondWith(accepted);
            }
            else
            {
                server.Given(ping).InScenario("hub").WillSetStateTo("up", failFirst).RespondWith(Response.Create().WithStatusCode(500));
                // "up" sets itself again: a mapping that sets no state ends the scenario, and the failures would start over.
                server.Given(ping).InScenario("hub").WhenStateIs("up").WillSetStateTo("up").RespondWith(accepted);
            }
            return new RecordingHub(server, expected);
        });

        private void Received(Ping ping)
        {
            if (ping.Answered != 204) return;
            lock (_gate)
            {
                _waitingFor.Remove(ping.Url);
                if (_waitingFor.Count == 0) _done.TrySetResult();
            }
        }

        private static Ping ToPing(ILogEntry entry)
        {
            var request = entry.RequestMessage!;
            var form = request.BodyData?.BodyAsFormUrlEncoded;
            var contentType = request.Headers?.FirstOrDefault(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
            return new Ping(Field("hub.mode"), Field("hub.url"), Field("hub.topic"), contentType?.Split(';')[0] ?? "",
                Convert.ToInt32(entry.ResponseMessage!.StatusCode, System.Globalization.CultureInfo.InvariantCulture));

            string Field(string name) => form?.TryGetValue(name, out var values) == true ? string.Join(",", values) : "";
        }

        public async ValueTask DisposeAsync()
        {
            await Task.Run(_server.Stop);
            _server.Dispose();
        }
    }

    private sealed record Ping(string Mode, string Url, string Topic, string ContentType, int Answered);
}
