using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using CoopFeeds.Core.Sources;
using CoopFeeds.Serving;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// Renders the HTML pages people read: <c>/</c> lists the sections, <c>/sections/{slug}</c> shows one, both with feed
/// autodiscovery. Like the feeds, the same items and sources file give the same bytes, so their ETags hold.
/// </summary>
public sealed class PageRenderer(IItemStore store, SourceCatalogProvider catalogs, IOptions<PublishingOptions> options)
{
    public const string MediaType = "text/html; charset=utf-8";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The index: every section with its item count and newest change, and the feeds of each and of all.</summary>
    public async Task<RenderedFeed> RenderIndexAsync(PublicUrls urls, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        var stats = (await store.GetSectionStatsAsync(cancellationToken)).ToDictionary(s => s.Section);

        var head = new StringBuilder();
        var body = new StringBuilder();
        body.Append("<h1>CoopFeeds</h1>\n<p>Feeds of listing pages that publish none. Subscribe to a section in your feed reader.</p>\n");
        body.Append("<table>\n<thead><tr><th>Section</th><th>Items</th><th>Last change</th><th>Feeds</th></tr></thead>\n<tbody>\n");
        foreach (var section in catalog.Sections)
        {
            AppendDiscovery(head, urls, section.Slug, section.Title, FeedFormat.Rss);
            stats.TryGetValue(section.Slug, out var stat);
            body.Append("<tr><td><a href=\"").Append(Html.Encode(urls.SectionPage(section.Slug).AbsoluteUri)).Append("\">")
                .Append(Html.Encode(section.Title)).Append("</a></td><td>")
                .Append(stat?.ItemCount ?? 0).Append("</td><td>")
                .Append(stat?.LastChanged is { } changed ? Html.Encode(changed.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)) : "never")
                .Append("</td><td>");
            AppendFeedLinks(body, urls, section.Slug);
            body.Append("</td></tr>\n");
        }
        body.Append("<tr><td>Everything</td><td></td><td></td><td>");
        AppendFeedLinks(body, urls, SectionDefinition.AllSlug);
        body.Append("</td></tr>\n</tbody>\n</table>\n");
        body.Append("<p>Every section at once, for a feed reader's import: <a href=\"").Append(Html.Encode(urls.Opml.AbsoluteUri)).Append("\">OPML list</a>.</p>\n");
        AppendOutline(head, urls);

        // The sections shown, not every one the store holds: a section gone from the sources file is not on the page.
        var modified = catalog.Sections.Select(s => stats.GetValueOrDefault(s.Slug)?.LastChanged).OfType<DateTimeOffset>()
            .DefaultIfEmpty(RenderedFeed.Epoch).Max();
        return Page("CoopFeeds", head, body, modified, FeedTarget.Find(catalog, SectionDefinition.AllSlug)!.Ttl(catalog));
    }

    /// <summary>One section: its description, its feeds and its newest Publishing:FeedSize items; null when there is no such section.</summary>
    public async Task<RenderedFeed?> RenderSectionAsync(string slug, PublicUrls urls, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        if (catalog.FindSection(slug) is not { } section) return null;
        var items = await store.GetItemsAsync(new ItemQuery { Sections = [slug], Limit = options.Value.FeedSize }, cancellationToken);
        var head = new StringBuilder();
        foreach (var format in FeedFormat.All) AppendDiscovery(head, urls, slug, section.Title, format);

        var body = new StringBuilder();
        body.Append("<p><a href=\"").Append(Html.Encode(urls.Home.AbsoluteUri)).Append("\">All sections</a></p>\n");
        body.Append("<h1>").Append(Html.Encode(section.Title)).Append("</h1>\n<p>").Append(Html.Encode(section.Description)).Append("</p>\n<p>Subscribe: ");
        AppendFeedLinks(body, urls, slug);
        body.Append("</p>\n<ol>\n");
        foreach (var stored in items)
        {
            var item = stored.Item;
            body.Append("<li><h2>");
            if (item.Link is not null) body.Append("<a href=\"").Append(Html.Encode(item.Link.AbsoluteUri)).Append("\">").Append(Html.Encode(item.Title)).Append("</a>");
            else body.Append(Html.Encode(item.Title));
            body.Append("</h2><p><time datetime=\"").Append(stored.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\">")
                .Append(Html.Encode(stored.Published.ToString("d MMMM yyyy", CultureInfo.InvariantCulture))).Append("</time>");
            if (item.Category is not null) body.Append(" · ").Append(Html.Encode(item.Category));
            body.Append("</p>");
            if (item.Summary is not null) body.Append("<p>").Append(Html.Encode(item.Summary)).Append("</p>");
            body.Append("</li>\n");
        }
        body.Append("</ol>\n");

        var modified = items.Count == 0 ? RenderedFeed.Epoch : items.Max(i => i.LastChanged);
        return Page(section.Title + " · CoopFeeds", head, body, modified, FeedTarget.Find(catalog, slug)!.Ttl(catalog));
    }

    private static void AppendDiscovery(StringBuilder head, PublicUrls urls, string slug, string title, FeedFormat format) =>
        head.Append("<link rel=\"alternate\" type=\"").Append(format.BareMediaType).Append("\" title=\"")
            .Append(Html.Encode($"{title} ({format.Label})")).Append("\" href=\"")
            .Append(Html.Encode(urls.Feed(slug, format).AbsoluteUri)).Append("\">\n");

    /// <summary>OPML 2.0 note 8 (checklist 8.5): the subscription list is discoverable like a feed.</summary>
    private static void AppendOutline(StringBuilder head, PublicUrls urls) =>
        head.Append("<link rel=\"outline\" type=\"").Append(Core.Syndication.Opml20Writer.MediaType).Append("\" title=\"CoopFeeds sections (OPML)\" href=\"")
            .Append(Html.Encode(urls.Opml.AbsoluteUri)).Append("\">\n");

    private static void AppendFeedLinks(StringBuilder body, PublicUrls urls, string slug) =>
        body.AppendJoin(" · ", FeedFormat.All.Select(f =>
            $"<a href=\"{Html.Encode(urls.Feed(slug, f).AbsoluteUri)}\">{f.Label}</a>"));

    /// <param name="modified">The newest change among what the page shows (never the clock): its Last-Modified.</param>
    /// <param name="maxAge">As the feeds the page shows: readers should not come back before the next ingest could change it.</param>
    private static RenderedFeed Page(string title, StringBuilder head, StringBuilder body, DateTimeOffset modified, TimeSpan maxAge)
    {
        var html = $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{Html.Encode(title)}</title>\n{head}<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}td,th{{padding:.3rem .8rem;text-align:left}}h2{{font-size:1.1rem;margin-bottom:0}}</style>\n</head>\n<body>\n{body}</body>\n</html>\n";
        return new RenderedFeed(Encoding.UTF8.GetBytes(html), MediaType, modified, maxAge);
    }
}
