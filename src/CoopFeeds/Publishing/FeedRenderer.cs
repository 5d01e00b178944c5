using CoopFeeds.Serving;
using CoopFeeds.Sources;
using CoopFeeds.Core;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Syndication;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// Reads a section's items from the store and renders one format: the subscription document, an RFC 5005 archive document,
/// or the OPML list of sections. The same items give the same bytes.
/// </summary>
public sealed class FeedRenderer(IItemStore store, SourceCatalogProvider catalogs, IOptions<PublishingOptions> options)
{
    private readonly PublishingOptions _options = options.Value;

    public const string OpmlMediaType = Opml20Writer.MediaType + "; charset=utf-8";
    private static readonly Opml20Writer Opml = new();

    /// <summary>
    /// The subscription document. Unfiltered, it holds the newest FeedSize items plus any item not yet on a full archive page
    /// (RFC 5005 §4: the subscription document and the archives together hold every item), and links the newest archive with
    /// prev-archive. A filtered document (<paramref name="query"/>) is a view with no history.
    /// </summary>
    /// <param name="rawQuery">The request's query string as sent ("" or "?…"): the self link must match the address readers fetched.</param>
    public async Task<RenderedFeed> RenderAsync(
        FeedTarget target, FeedFormat format, FeedQuery query, string rawQuery, PublicUrls urls, CancellationToken cancellationToken)
    {
        var items = await store.GetItemsAsync(new ItemQuery
        {
            Sections = target.Sections,
            Categories = query.Categories,
            Text = query.Text,
            Limit = query.Limit ?? _options.FeedSize,
        }, cancellationToken);

        Uri? prevArchive = null;
        if (!query.IsFiltered)
        {
            var fullPages = await FullArchivePagesAsync(target, cancellationToken);
            if (fullPages > 0)
            {
                prevArchive = urls.Archive(target.Slug, fullPages, format);
                var unarchived = await store.GetArchiveAsync(target.Section, fullPages + 1, _options.FeedSize, cancellationToken);
                items = NewestFirst(items.Concat(unarchived).DistinctBy(i => i.Item.Id));
            }
        }

        var selfUrl = urls.Feed(target.Slug, format, rawQuery);
        var ttl = Ttl(target);
        var document = Document(target, query, urls, selfUrl, items, ttl) with { PrevArchiveUrl = prevArchive };
        return new RenderedFeed(format.Write(document), format.MediaType, document.Updated, ttl, selfUrl, _options.HubUrl);
    }

    /// <summary>
    /// Archive document <paramref name="page"/> (1 = the oldest FeedSize items in insertion order), or null when that page is not
    /// full: only full pages are archives, so an archive's membership never changes and only an edit to one of its items changes it.
    /// </summary>
    public async Task<RenderedFeed?> RenderArchiveAsync(FeedTarget target, FeedFormat format, int page, PublicUrls urls, CancellationToken cancellationToken)
    {
        var fullPages = await FullArchivePagesAsync(target, cancellationToken);
        if (page < 1 || page > fullPages) return null;

        var items = await store.GetArchiveAsync(target.Section, page, _options.FeedSize, cancellationToken);
        if (items.Count < _options.FeedSize) return null;

        var selfUrl = urls.Archive(target.Slug, page, format);
        // RFC 5005 §4: an archive is part of the subscription document's logical feed, so it carries that feed's id.
        var document = Document(target, FeedQuery.None, urls, selfUrl, NewestFirst(items), _options.ArchiveMaxAge) with
        {
            IsArchive = true,
            CurrentUrl = urls.Feed(target.Slug, format),
            PrevArchiveUrl = page > 1 ? urls.Archive(target.Slug, page - 1, format) : null,
            NextArchiveUrl = page < fullPages ? urls.Archive(target.Slug, page + 1, format) : null,
            // WebSub topics are subscription documents; an archive names no hub.
            HubUrl = null,
        };
        return new RenderedFeed(format.Write(document), format.MediaType, document.Updated, _options.ArchiveMaxAge, selfUrl, hubUrl: null);
    }

    /// <summary>
    /// The OPML 2.0 list of every section's RSS feed (checklist 8.3–8.5). One outline per section, not per format, so a reader
    /// importing it subscribes once to each section; the combined feed is left out, as it would show every item twice.
    /// </summary>
    public async Task<RenderedFeed> RenderOpmlAsync(PublicUrls urls, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        var stats = await store.GetSectionStatsAsync(cancellationToken);
        var modified = stats.Select(s => s.LastChanged).OfType<DateTimeOffset>().DefaultIfEmpty(RenderedFeed.Epoch).Max();
        var document = new OpmlDocument
        {
            Title = "CoopFeeds sections",
            Modified = modified,
            OwnerName = _options.Author,
            Feeds = catalog.Sections.Select(section => new OpmlFeed
            {
                Title = section.Title,
                XmlUrl = urls.Feed(section.Slug, FeedFormat.Rss),
                HtmlUrl = urls.SectionPage(section.Slug),
                Description = section.Description,
                Language = section.Language,
            }).ToList(),
        };
        var body = Opml.Write(document);
        return new RenderedFeed(body, OpmlMediaType, modified, Ttl(FeedTarget.Find(catalog, SectionDefinition.AllSlug)!), urls.Opml, hubUrl: null);
    }

    /// <summary>How many full archive pages the target has: its distinct items divided by FeedSize, rounded down.</summary>
    public async Task<int> FullArchivePagesAsync(FeedTarget target, CancellationToken cancellationToken)
    {
        var count = await store.CountItemsAsync(new ItemQuery { Sections = target.Sections }, cancellationToken);
        return count / _options.FeedSize;
    }

    private FeedDocument Document(FeedTarget target, FeedQuery query, PublicUrls urls, Uri selfUrl, IReadOnlyList<StoredItem> items, TimeSpan ttl) => new()
    {
        Id = FeedId(target.Slug, query),
        Title = target.Title,
        Description = target.Description,
        Language = target.Language,
        HtmlUrl = target.Sections is null ? urls.Home : urls.SectionPage(target.Slug),
        SelfUrl = selfUrl,
        Updated = items.Count == 0 ? RenderedFeed.Epoch : items.Max(i => i.LastChanged),
        Author = _options.Author,
        Ttl = ttl,
        HubUrl = _options.HubUrl,
        Entries = items.Select(FeedEntry.From).ToList(),
    };

    /// <summary>
    /// The Atom id of a section's feed, or of a filtered view of it (RFC 4287 §4.2.6): made from the slug and the canonical
    /// filter, never from the URL, so it stays put whatever Host the request named or wherever the service moves.
    /// </summary>
    public static string FeedId(string slug, FeedQuery query) =>
        FeedIdentity.Of(query.IsFiltered ? slug + "?" + query.Canonical : slug);

    /// <summary>The store's feed order: newest first by the date shown, then by id.</summary>
    private static List<StoredItem> NewestFirst(IEnumerable<StoredItem> items) =>
        items.OrderByDescending(i => i.Published).ThenBy(i => i.Item.Id, StringComparer.Ordinal).ToList();

    private TimeSpan Ttl(FeedTarget target) => target.Ttl(catalogs.Current);
}

/// <summary>What a feed URL names: one section, or every section (<c>all</c>).</summary>
public sealed record FeedTarget(string Slug, string Title, string Description, string Language, IReadOnlyList<string>? Sections)
{
    /// <summary>The one section, or null for the combined feed (as the store's archive query takes it).</summary>
    public string? Section => Sections is [var only] ? only : null;

    /// <summary>
    /// How long readers may keep the target's documents (feeds, and the pages that show them): they should not come back
    /// before the next ingest could have changed anything.
    /// </summary>
    public TimeSpan Ttl(SourceCatalog catalog)
    {
        var intervals = catalog.Sources
            .Where(s => Sections is null || Sections.Contains(s.Section))
            .Select(s => s.Definition.Interval)
            .ToList();
        var ttl = intervals.Count == 0 ? TimeSpan.FromHours(1) : intervals.Min();
        return TimeSpan.FromMinutes(Math.Max(1, Math.Floor(ttl.TotalMinutes)));
    }

    public static FeedTarget? Find(SourceCatalog catalog, string slug)
    {
        if (slug == SectionDefinition.AllSlug)
        {
            var language = catalog.Sections.Select(s => s.Language).Distinct().Count() == 1 ? catalog.Sections[0].Language : "en";
            return new FeedTarget(slug, "All sections", "Every item of every section: " + string.Join(", ", catalog.Sections.Select(s => s.Title)) + ".", language, null);
        }
        var section = catalog.FindSection(slug);
        return section is null
            ? null
            : new FeedTarget(section.Slug, section.Title, string.IsNullOrWhiteSpace(section.Description) ? section.Title : section.Description, section.Language, [section.Slug]);
    }
}
