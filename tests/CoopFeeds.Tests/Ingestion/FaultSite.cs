using System.Text;
using WireMock;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// A WireMock.Net server on a loopback port that misbehaves on request: each path answers as the test says (a
/// <see cref="SiteAnswer"/>), and can be switched between runs (500 then recover, markup changes, walls, redirects…).
/// What WireMock cannot stage, because it happens in how the body travels (a body that never ends, a connection cut
/// mid-body), is on <see cref="TransportFaultSite"/>.
/// </summary>
internal sealed class FaultSite : IAsyncDisposable
{
    /// <summary>What every site's robots.txt says until a test serves another answer there.</summary>
    private const string RobotsTxt = "User-agent: *\nDisallow: /private/\n";

    private readonly WireMockServer _server;
    private readonly Dictionary<string, List<Guid>> _mappings = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _served;

    private FaultSite(WireMockServer server)
    {
        _server = server;
        BaseAddress = new Uri($"http://127.0.0.1:{server.Ports[0]}/");
        Serve("/robots.txt", Text(RobotsTxt));
    }

    public Uri BaseAddress { get; }

    /// <summary>Every request answered, in order: path, User-Agent, If-None-Match and when it came (WireMock logs a request as it answers it).</summary>
    public IReadOnlyList<SeenRequest> Requests => [.. _server.LogEntries.Select(Seen)];

    public static async Task<FaultSite> StartAsync()
    {
        // Off the caller's thread: WireMock waits for Kestrel synchronously.
        var site = await Task.Run(() => new FaultSite(WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] })));
        // WireMock's first answer in a process takes a second or more (it loads and compiles its request pipeline), which the
        // fetcher, on the fault tests' one-second RequestTimeout, would take for a hang: each site answers once before it is used.
        using var client = new HttpClient();
        using var warm = await client.GetAsync(site.Url("/robots.txt"));
        site._server.ResetLogEntries();
        return site;
    }

    public Uri Url(string path) => new(BaseAddress, path.TrimStart('/'));

    /// <summary>From now on <paramref name="path"/> answers <paramref name="answer"/>, from its first turn; a path never served answers 404.</summary>
    public void Serve(string path, SiteAnswer answer)
    {
        lock (_mappings)
        {
            foreach (var old in _mappings.GetValueOrDefault(path, [])) _server.DeleteMapping(old);
            // A scenario of its own, so that a new answer starts at its first turn whatever the one it replaces had reached.
            var scenario = $"{path} #{++_served}";
            var turns = answer.Turns;
            var mappings = new List<Guid>();
            for (var turn = 0; turn < turns.Count; turn++)
            {
                var rules = turns[turn].Rules;
                for (var rule = 0; rule < rules.Count; rule++)
                {
                    var request = Request.Create().WithPath(path).UsingGet();
                    var mapping = _server.Given(rules[rule].When?.Invoke(request) ?? request).AtPriority(rule + 1);
                    if (turns.Count > 1)
                    {
                        mapping = mapping.InScenario(scenario);
                        if (turn > 0) mapping = mapping.WhenStateIs(State(turn));
                        // The last turn sets its own state again: a mapping that sets none ends the scenario, which then starts over.
                        mapping = mapping.WillSetStateTo(State(Math.Min(turn + 1, turns.Count - 1)));
                    }
                    mapping.RespondWith(rules[rule].Response);
                    mappings.Add(mapping.Guid);
                }
            }
            _mappings[path] = mappings;
        }

        static string State(int turn) => $"turn {turn}";
    }

    public int CountRequests(string path) => Requests.Count(r => r.Path == path);

    /// <summary>
    /// Never answers while the site runs: the response waits on a gate that opens when the site stops, so that stopping does
    /// not wait for the client to give up. <paramref name="onArrival"/> tells the test the request is in.
    /// </summary>
    public SiteAnswer Hang(Action? onArrival = null) => SiteAnswer.Always(Response.Create().WithCallback(async _ =>
    {
        onArrival?.Invoke();
        await _stopping.Task;
        return new ResponseMessage { StatusCode = 503 };
    }));

    public async ValueTask DisposeAsync()
    {
        _stopping.TrySetResult();
        await Task.Run(_server.Stop);
        _server.Dispose();
    }

    public sealed record SeenRequest(string Path, string UserAgent, string IfNoneMatch)
    {
        /// <summary>When the request came, UTC.</summary>
        public DateTime At { get; init; }
    }

    private static SeenRequest Seen(ILogEntry entry)
    {
        var request = entry.RequestMessage!;
        return new SeenRequest(request.Path, Header("User-Agent"), Header("If-None-Match")) { At = request.DateTime.ToUniversalTime() };

        string Header(string name) =>
            request.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { } values
                ? string.Join(", ", values)
                : "";
    }

    // Answers -------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A page as UTF-8 HTML. With an <paramref name="etag"/>, a request whose If-None-Match names it gets 304 and the
    /// tag, any other the page and the tag.
    /// </summary>
    public static SiteAnswer Html(string html, string contentType = "text/html; charset=utf-8", string? etag = null) =>
        Bytes(Encoding.UTF8.GetBytes(html), contentType, etag);

    public static SiteAnswer Text(string text) => Bytes(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8");

    /// <summary>The bytes as they are, so a test chooses the charset (or a byte order mark, or nothing at all).</summary>
    public static SiteAnswer Bytes(byte[] body, string? contentType, string? etag = null)
    {
        var page = Response.Create().WithBody(body);
        if (contentType is not null) page = page.WithHeader("Content-Type", contentType);
        if (etag is null) return SiteAnswer.Always(page);
        return new SiteAnswer
        {
            Turns =
            [
                new SiteAnswer.Turn(
                [
                    new SiteAnswer.Rule(request => request.WithHeader("If-None-Match", new ExactMatcher(etag)),
                        Response.Create().WithStatusCode(304).WithHeader("ETag", etag)),
                    new SiteAnswer.Rule(null, page.WithHeader("ETag", etag)),
                ]),
            ],
        };
    }

    public static SiteAnswer Status(int status, string? retryAfter = null)
    {
        var response = Response.Create().WithStatusCode(status).WithBody($"status {status}");
        return SiteAnswer.Always(retryAfter is null ? response : response.WithHeader("Retry-After", retryAfter));
    }

    public static SiteAnswer Redirect(string location, int status = 302) =>
        SiteAnswer.Always(Response.Create().WithStatusCode(status).WithHeader("Location", location));

    /// <summary>Each request answers with the next answer; the last one repeats.</summary>
    public static SiteAnswer Sequence(params SiteAnswer[] answers) => new() { Turns = [.. answers.SelectMany(a => a.Turns)] };

    // Pages ---------------------------------------------------------------------------------------------------------

    /// <summary>A listing page of <paramref name="count"/> items numbered from <paramref name="first"/>, newest first.</summary>
    public static string Listing(int count, int first = 1, string itemClass = "item", string title = "Cooperative news")
    {
        var html = new StringBuilder($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><ul>");
        for (var n = first + count - 1; n >= first; n--)
        {
            html.Append($"<li class=\"{itemClass}\"><a href=\"/news/{n}\">News number {n}</a> <time datetime=\"2025-01-{1 + n % 28:00}\">{1 + n % 28} January 2025</time><p class=\"summary\">Summary of news {n}.</p></li>");
        }
        return html.Append("</ul></body></html>").ToString();
    }
}
