using System.Text.Encodings.Web;
using System.Text.Json;
using CoopFeeds.Core;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Syndication;
using CoopFeeds.Serving;
using CoopFeeds.Serving.Pages;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CoopFeeds.Status;

/// <summary>
/// Renders what maintainers read — <c>/api/sources</c> and <c>/api/sources/{id}</c> (JSON), <c>/sources</c> (one HTML table,
/// readable at a glance) and <c>/sources.atom</c> (one entry per change of a source's state) — to documents the cache keeps
/// until a run is recorded, the scheduler moves or the sources file changes (<see cref="RenderedFrom.SourceStates"/>).
/// </summary>
public sealed class StatusRenderer(
    SourceStatusReader reader,
    SourceCatalogProvider catalogs,
    IItemStore store,
    IOptions<PublishingOptions> options,
    IOptions<HttpJsonOptions> json,
    PageWriter writer)
{
    /// <summary>Entries in the status feed: the newest changes.</summary>
    public const int FeedSize = 100;

    /// <summary>State changes shown with one source.</summary>
    private const int SourceChanges = 20;

    private const string JsonMediaType = "application/json; charset=utf-8";

    /// <summary>How long readers may keep the status feed: short, because a failing source should show soon.</summary>
    private static readonly TimeSpan FeedMaxAge = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The JSON and the page change with every run and show whether a source is running now: a reader asks again each
    /// time (a 304 while nothing moved). They carry no Last-Modified, as before they were cached: what they show (a source
    /// running now, its next attempt) has no date of its own, so the ETag alone revalidates them.
    /// </summary>
    private static readonly TimeSpan StatusMaxAge = TimeSpan.Zero;

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>Every source, as <c>/api/sources</c> has always written it (the endpoints' JSON settings).</summary>
    public async Task<RenderedFeed> RenderListAsync(CancellationToken cancellationToken)
    {
        var statuses = await reader.ReadAsync(cancellationToken);
        return Json(statuses);
    }

    /// <summary>Whether <c>/api/sources/{id}</c> names a source without reading the store: one in the sources file.</summary>
    public bool IsConfigured(string id) => catalogs.Current.FindSource(id) is not null;

    /// <summary>Whether the store remembers a source (one removed from the sources file since it ran).</summary>
    public async Task<bool> HasRunAsync(string id, CancellationToken cancellationToken) =>
        await store.GetSourceStateAsync(id, cancellationToken) is not null;

    /// <summary>One source and its newest state changes; null when there is no such source.</summary>
    public async Task<RenderedFeed?> RenderSourceAsync(string id, CancellationToken cancellationToken)
    {
        var status = (await reader.ReadAsync(cancellationToken)).FirstOrDefault(s => s.Id == id);
        if (status is null) return null;
        var changes = await store.GetSourceStateChangesAsync(id, SourceChanges, cancellationToken);
        return Json(new SourceStatusDetail { Source = status, Changes = changes });
    }

    /// <summary>The page <c>/sources</c>: every source in one table (<see cref="SourcesPage"/>).</summary>
    public async Task<RenderedFeed> RenderPageAsync(CancellationToken cancellationToken)
    {
        var statuses = await reader.ReadAsync(cancellationToken);
        return await writer.WriteAsync<SourcesPage>(new() { [nameof(SourcesPage.Statuses)] = statuses }, lastModified: null, StatusMaxAge);
    }

    /// <summary>The status feed: the newest changes of source health, dated by the newest change, never by the clock.</summary>
    public async Task<RenderedFeed> RenderFeedAsync(PublicUrls urls, CancellationToken cancellationToken)
    {
        var changes = await store.GetSourceStateChangesAsync(null, FeedSize, cancellationToken);
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
        return new RenderedFeed(new Atom10Writer().Write(document), FeedFormat.Atom.MediaType, document.Updated, FeedMaxAge);
    }

    /// <summary>
    /// Written as <c>TypedResults.Json</c> wrote it before these documents were cached, with the endpoints' JSON settings, so
    /// the bytes are the same.
    /// </summary>
    private RenderedFeed Json<T>(T value) => new(
        JsonSerializer.SerializeToUtf8Bytes(value, CoreJsonContext.TypeInfo<T>(json.Value.SerializerOptions)), JsonMediaType, lastModified: null, StatusMaxAge);

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
}
