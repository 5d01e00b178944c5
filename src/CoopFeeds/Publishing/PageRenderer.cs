using CoopFeeds.Core.Sources;
using CoopFeeds.Serving;
using CoopFeeds.Serving.Pages;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// Renders the HTML pages people read: <c>/</c> lists the sections (<see cref="IndexPage"/>), <c>/sections/{slug}</c> shows
/// one (<see cref="SectionPage"/>), both with feed autodiscovery. It reads what they show; the components write it. Like the
/// feeds, the same items and sources file give the same bytes, so their ETags hold: a page's Last-Modified is the newest
/// change among what it shows (never the clock), and its max-age that of the feeds it shows (readers should not come back
/// before the next ingest could change it).
/// </summary>
public sealed class PageRenderer(IItemStore store, SourceCatalogProvider catalogs, IOptions<PublishingOptions> options, PageWriter writer)
{
    /// <summary>The index: every section with its item count and newest change, and the feeds of each and of all.</summary>
    public async Task<RenderedFeed> RenderIndexAsync(PublicUrls urls, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        var stats = (await store.GetSectionStatsAsync(cancellationToken)).ToDictionary(s => s.Section);

        // The sections shown, not every one the store holds: a section gone from the sources file is not on the page.
        var modified = catalog.Sections.Select(s => stats.GetValueOrDefault(s.Slug)?.LastChanged).OfType<DateTimeOffset>()
            .DefaultIfEmpty(RenderedFeed.Epoch).Max();
        return await writer.WriteAsync<IndexPage>(
            new() { [nameof(IndexPage.Urls)] = urls, [nameof(IndexPage.Sections)] = catalog.Sections, [nameof(IndexPage.Stats)] = stats },
            modified, FeedTarget.Find(catalog, SectionDefinition.AllSlug)!.Ttl(catalog));
    }

    /// <summary>One section: its description, its feeds and its newest Publishing:FeedSize items; null when there is no such section.</summary>
    public async Task<RenderedFeed?> RenderSectionAsync(string slug, PublicUrls urls, CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        if (catalog.FindSection(slug) is not { } section) return null;
        var items = await store.GetItemsAsync(new ItemQuery { Sections = [slug], Limit = options.Value.FeedSize }, cancellationToken);

        var modified = items.Count == 0 ? RenderedFeed.Epoch : items.Max(i => i.LastChanged);
        return await writer.WriteAsync<SectionPage>(
            new() { [nameof(SectionPage.Urls)] = urls, [nameof(SectionPage.Section)] = section, [nameof(SectionPage.Items)] = items },
            modified, FeedTarget.Find(catalog, slug)!.Ttl(catalog));
    }
}
