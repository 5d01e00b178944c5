using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Syndication;
using CoopFeeds.Serving;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Status;

/// <summary>
/// What maintainers read: <c>/api/sources</c> (JSON), <c>/sources</c> (one HTML table, readable at a glance),
/// <c>/sources.atom</c> (one entry per change of a source's state: degraded, failing, recovered) and <c>/metrics</c>.
/// None of them fetches anything: they read the store, the sources file and the scheduler.
/// </summary>
public static class StatusEndpoints
{
    /// <summary>Entries in the status feed: the newest changes.</summary>
    public const int FeedSize = 100;

    /// <summary>How long readers may keep the status feed: short, because a failing source should show soon.</summary>
    private static readonly TimeSpan FeedMaxAge = TimeSpan.FromMinutes(1);

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/sources", [HttpMethods.Get, HttpMethods.Head], ListAsync);
        app.MapMethods("/api/sources/{id}", [HttpMethods.Get, HttpMethods.Head], GetAsync);
        app.MapMethods("/sources", [HttpMethods.Get, HttpMethods.Head], PageAsync);
        app.MapMethods("/sources.atom", [HttpMethods.Get, HttpMethods.Head], FeedAsync).BuildsPublicUrls();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static async Task<IResult> ListAsync(SourceStatusReader reader, CancellationToken cancellationToken) =>
        TypedResults.Json(await reader.ReadAsync(cancellationToken));

    private static async Task<IResult> GetAsync(string id, SourceStatusReader reader, IItemStore store, CancellationToken cancellationToken)
    {
        var status = (await reader.ReadAsync(cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (status is null) return TypedResults.NotFound($"No source '{id}'.\n");
        var changes = await store.GetSourceStateChangesAsync(id, 20, cancellationToken);
        return TypedResults.Json(new { source = status, changes });
    }

    private static async Task<IResult> PageAsync(SourceStatusReader reader, CancellationToken cancellationToken)
    {
        var statuses = await reader.ReadAsync(cancellationToken);
        var body = new StringBuilder();
        var counts = statuses.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
        body.Append($"<h1>Sources</h1>\n<p>{Html.Encode(string.Join(", ", counts))} · <a href=\"api/sources\">JSON</a> · <a href=\"sources.atom\">state changes (Atom)</a></p>\n");
        body.Append("<table>\n<tr><th>Source</th><th>State</th><th>Last attempt</th><th>Last success</th><th>HTTP</th><th>Found / new / updated</th><th>Stored</th><th>Failures</th><th>Next attempt</th><th>Last error</th></tr>\n");
        foreach (var s in statuses)
        {
            var robots = s.RespectRobots ? "" : " <small title=\"RespectRobots is false in the sources file\">(ignores robots.txt)</small>";
            var running = s.Running ? " <small>(running)</small>" : "";
            body.Append($"<tr class=\"{s.State}\" id=\"{Html.Encode(s.Id)}\">")
                .Append($"<td><strong>{Html.Encode(s.Id)}</strong><br><small>{Html.Encode(s.Section)} · {Html.Encode(s.Url ?? "")}</small>{robots}</td>")
                .Append($"<td class=\"state\">{Html.Encode(s.State)}{running}<br><small>{Html.Encode(s.LastOutcome ?? "")}</small></td>")
                .Append($"<td>{When(s.LastAttemptAt)}</td><td>{When(s.LastSuccessAt)}</td>")
                .Append($"<td>{s.LastHttpStatus?.ToString(CultureInfo.InvariantCulture) ?? ""}</td>")
                .Append($"<td>{(s.ItemsFound is { } found ? $"{found} / {s.ItemsNew} / {s.ItemsUpdated}" : "not modified")}</td>")
                .Append($"<td>{s.StoredItems}</td><td>{s.ConsecutiveFailures}</td>")
                .Append($"<td>{When(s.NextAttemptAt)}</td><td>{Html.Encode(s.LastError ?? "")}</td></tr>\n");
        }
        body.Append("</table>\n");
        const string style = "<style>body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse}"
            + "td,th{padding:.3rem .6rem;text-align:left;vertical-align:top;border-bottom:1px solid #ddd}"
            + ".healthy .state{color:#176f2c}.degraded .state{color:#9a6700;font-weight:bold}.failing .state{color:#b42318;font-weight:bold}"
            + ".disabled,.removed{color:#777}</style>";
        return TypedResults.Content(
            $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + $"<title>Sources · CoopFeeds</title>\n<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Source state changes\" href=\"sources.atom\">\n{style}\n</head>\n<body>\n{body}</body>\n</html>\n",
            "text/html; charset=utf-8");
    }

    /// <summary>
    /// Served like the section feeds (<see cref="FeedResponse"/>: weak If-None-Match lists, Last-Modified, Cache-Control, content
    /// codings, CORS), but rendered on every request rather than cached: a state change does not move the store version
    /// the feed cache follows, and maintainers are few.
    /// </summary>
    private static async Task<IResult> FeedAsync(
        HttpContext context, IItemStore store, FeedRateLimiter limiter, IOptions<PublishingOptions> options, CancellationToken cancellationToken)
    {
        // Rendered on every request, so the permit comes first: a client over its limit causes no store read (and a 304 costs one).
        if (!limiter.TryAcquire(context, out var retryAfter)) return FeedResponse.TooManyRequests(context, retryAfter);
        var changes = await store.GetSourceStateChangesAsync(null, FeedSize, cancellationToken);
        var urls = PublicUrls.For(context.Request, options.Value);
        var page = new Uri(urls.Base, "sources");
        var self = new Uri(urls.Base, "sources.atom");
        var document = new FeedDocument
        {
            // Not a section (slugs have no ':'), so never a section feed's id; from no URL, so the same on every host.
            Id = FeedIdentity.Of("status:sources"),
            Title = "CoopFeeds source status",
            Description = "One entry each time a source becomes degraded or failing, or recovers.",
            Language = "en",
            HtmlUrl = page,
            SelfUrl = self,
            // The newest change, never the clock: the same changes give the same bytes.
            Updated = changes.Count > 0 ? changes[0].ChangedAt : RenderedFeed.Epoch,
            Author = options.Value.Author,
            Entries = [.. changes.Select(change => Entry(change, page))],
        };
        var feed = new RenderedFeed(new Atom10Writer().Write(document), FeedFormat.Atom.MediaType, document.Updated, FeedMaxAge, self, hubUrl: null);
        return FeedResponse.Send(context, feed, limiter);
    }

    private static FeedEntry Entry(SourceStateChange change, Uri page)
    {
        var title = change.To switch
        {
            SourceHealth.Healthy when change.IsRecovery => $"{change.SourceId} recovered",
            SourceHealth.Degraded => $"{change.SourceId} is degraded: {change.Outcome}",
            SourceHealth.Failing => $"{change.SourceId} is failing: {change.Outcome}" + (change.HttpStatus is { } status ? $" (HTTP {status})" : ""),
            _ => $"{change.SourceId} is {SourceStatusReader.Name(change.To)}",
        };
        var from = change.From is { } previous ? SourceStatusReader.Name(previous) : "new";
        var text = $"{from} → {SourceStatusReader.Name(change.To)} at {change.ChangedAt:u}. {Core.Sources.UrlRedactor.RedactText(change.Detail ?? "")}".Trim();
        return new FeedEntry
        {
            // Stable for ever: the change's sequence number never repeats.
            Id = ItemIdentity.FeedId($"status:{change.SourceId}:{change.Sequence}"),
            Title = title,
            Link = new Uri(page, "#" + Uri.EscapeDataString(change.SourceId)),
            Published = change.ChangedAt,
            Updated = change.ChangedAt,
            SummaryText = text,
            SummaryHtml = $"<p>{Html.Encode(text)}</p>",
            Categories = [SourceStatusReader.Name(change.To)],
        };
    }

    private static string When(DateTimeOffset? at) =>
        at is { } value ? $"<time datetime=\"{value.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{value.UtcDateTime:yyyy-MM-dd HH:mm} UTC</time>" : "";
}
