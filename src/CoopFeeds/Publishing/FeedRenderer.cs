using CoopFeeds.Sources;
using System.Security.Cryptography;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Syndication;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>A feed rendered to bytes, with what HTTP caching needs.</summary>
public sealed record RenderedFeed(byte[] Body, string ContentType, string ETag, DateTimeOffset LastModified, TimeSpan MaxAge);

/// <summary>Reads a section's items from the store and renders one format. The same items give the same bytes.</summary>
public sealed class FeedRenderer(IItemStore store, SourceCatalogProvider catalogs, IOptions<PublishingOptions> options)
{
    private readonly PublishingOptions _options = options.Value;

    /// <summary>The date a feed with no items carries, so that even an empty feed's bytes never depend on the clock.</summary>
    private static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

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

        var lastModified = items.Count == 0 ? Epoch : items.Max(i => i.LastChanged);
        var ttl = Ttl(target);
        var document = new FeedDocument
        {
            Title = target.Title,
            Description = target.Description,
            Language = target.Language,
            HtmlUrl = urls.SectionPage(target.Slug),
            SelfUrl = urls.Feed(target.Slug, format, rawQuery),
            Updated = lastModified,
            Author = _options.Author,
            Ttl = ttl,
            HubUrl = _options.HubUrl,
            Entries = items.Select(FeedEntry.From).ToList(),
        };

        var body = format.Write(document);
        return new RenderedFeed(body, format.MediaType, EntityTag(body), lastModified, ttl);
    }

    /// <summary>Readers should not come back before the next ingest could have changed anything.</summary>
    private TimeSpan Ttl(FeedTarget target)
    {
        var intervals = catalogs.Current.Sources
            .Where(s => target.Sections is null || target.Sections.Contains(s.Section))
            .Select(s => s.Definition.Interval)
            .ToList();
        var ttl = intervals.Count == 0 ? TimeSpan.FromHours(1) : intervals.Min();
        return TimeSpan.FromMinutes(Math.Max(1, Math.Floor(ttl.TotalMinutes)));
    }

    /// <summary>A strong tag derived from the uncompressed bytes, so every instance gives the same tag for the same feed.</summary>
    public static string EntityTag(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(body, hash);
        return "\"" + Convert.ToBase64String(hash[..16]).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"";
    }
}

/// <summary>What a feed URL names: one section, or every section (<c>all</c>).</summary>
public sealed record FeedTarget(string Slug, string Title, string Description, string Language, IReadOnlyList<string>? Sections)
{
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
