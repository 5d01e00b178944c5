using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// A WireMock.Net "hub" on a loopback port: POST /hub answers 204, after 500 to the first <c>failFirst</c> pings (a
/// scenario that holds its first state for that many requests). The pings are read back from WireMock's request log,
/// which records each one before its answer leaves; <see cref="AllReceived"/> completes once every expected URL has had a 204.
/// </summary>
internal sealed class RecordingHub : IAsyncDisposable
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
    public List<HubPing> Pings => [.. _server.LogEntries.Select(ToPing)];

    /// <summary>The URLs a round of pings for <paramref name="slugs"/> names: each section's RSS, Atom and JSON feed.</summary>
    public static HashSet<string> FeedUrls(string publicBase, params string[] slugs) =>
        [.. slugs.SelectMany(slug => new[] { "rss", "atom", "json" }.Select(ext => $"{publicBase}feeds/{slug}.{ext}"))];

    /// <summary>How many accepted pings each URL has had so far.</summary>
    public Dictionary<string, int> AcceptedCounts() =>
        Pings.Where(p => p.Answered == 204).GroupBy(p => p.Url).ToDictionary(g => g.Key, g => g.Count());

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

    private void Received(HubPing ping)
    {
        if (ping.Answered != 204) return;
        lock (_gate)
        {
            _waitingFor.Remove(ping.Url);
            if (_waitingFor.Count == 0) _done.TrySetResult();
        }
    }

    private static HubPing ToPing(ILogEntry entry)
    {
        var request = entry.RequestMessage!;
        var form = request.BodyData?.BodyAsFormUrlEncoded;
        var contentType = request.Headers?.FirstOrDefault(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        return new HubPing(Field("hub.mode"), Field("hub.url"), Field("hub.topic"), contentType?.Split(';')[0] ?? "",
            Convert.ToInt32(entry.ResponseMessage!.StatusCode, System.Globalization.CultureInfo.InvariantCulture));

        string Field(string name) => form?.TryGetValue(name, out var values) == true ? string.Join(",", values) : "";
    }

    public async ValueTask DisposeAsync()
    {
        await Task.Run(_server.Stop);
        _server.Dispose();
    }
}

internal sealed record HubPing(string Mode, string Url, string Topic, string ContentType, int Answered);
