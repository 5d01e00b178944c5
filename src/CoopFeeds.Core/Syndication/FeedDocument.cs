namespace CoopFeeds.Core.Syndication;

/// <summary>
/// A format-neutral feed: what <see cref="Rss20Writer"/>, <see cref="Atom10Writer"/> and <see cref="JsonFeedWriter"/> render.
/// Writers never read the clock or make up ids, so the same document always gives the same bytes.
/// </summary>
/// <remarks>
/// Mapping: Id → atom feed/id (RSS and JSON Feed have no feed id). Title → rss channel/title, atom feed/title, json title. Description → rss description, atom subtitle, json description.
/// HtmlUrl → rss link, atom link rel=alternate, json home_page_url. SelfUrl → atom:link rel=self in both XML formats, json feed_url.
/// Updated → rss lastBuildDate, atom updated. Ttl → rss ttl (whole minutes).
/// </remarks>
public sealed record FeedDocument
{
    /// <summary>
    /// The logical feed's permanent id, an absolute IRI (see <see cref="FeedIdentity"/>): the same for the subscription document
    /// and all its archives, whatever host or format it is served under.
    /// </summary>
    public required string Id { get; init; }

    public required string Title { get; init; }
    public required string Description { get; init; }

    /// <summary>A language tag such as <c>en</c> or <c>fr</c>.</summary>
    public required string Language { get; init; }

    /// <summary>The absolute public URL of the HTML page of the section.</summary>
    public required Uri HtmlUrl { get; init; }

    /// <summary>The absolute public URL of this very document, query included.</summary>
    public required Uri SelfUrl { get; init; }

    /// <summary>The newest change among the items (or the section's creation when it has none); never the clock.</summary>
    public required DateTimeOffset Updated { get; init; }

    /// <summary>Feed-level author name, required by Atom when entries have none.</summary>
    public required string Author { get; init; }

    /// <summary>How long readers may cache the document; written as RSS ttl.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>WebSub hub, advertised as <c>rel="hub"</c> when set.</summary>
    public Uri? HubUrl { get; init; }

    /// <summary>RFC 5005 links: the older archive document, the newer one, and the subscription document (for archives).</summary>
    public Uri? PrevArchiveUrl { get; init; }
    public Uri? NextArchiveUrl { get; init; }
    public Uri? CurrentUrl { get; init; }

    /// <summary>True for an RFC 5005 archive document (<c>fh:archive</c>).</summary>
    public bool IsArchive { get; init; }

    /// <summary>Entries in the order they are written (newest first for subscription feeds).</summary>
    public required IReadOnlyList<FeedEntry> Entries { get; init; }
}

/// <summary>One entry of a <see cref="FeedDocument"/>.</summary>
public sealed record FeedEntry
{
    /// <summary><c>urn:uuid:…</c>: rss guid isPermaLink="false", atom id, json id.</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }

    /// <summary>Absolute link to the item's page; null when the listing gave none.</summary>
    public Uri? Link { get; init; }

    public required DateTimeOffset Published { get; init; }
    public required DateTimeOffset Updated { get; init; }

    /// <summary>Sanitized HTML summary (rss description, atom summary type="html", json content_html).</summary>
    public string? SummaryHtml { get; init; }

    /// <summary>Plain-text summary (json summary and content_text).</summary>
    public string? SummaryText { get; init; }

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>
    /// Builds an entry from a stored item: published is the page's date (else first seen);
    /// updated is the last edit when the item was edited after we first saw it, else the published date,
    /// so unedited items do not all share the instant of the first ingest.
    /// </summary>
    public static FeedEntry From(StoredItem stored) => new()
    {
        Id = stored.Item.Id,
        Title = stored.Item.Title,
        Link = stored.Item.Link,
        Published = stored.Published,
        Updated = stored.LastChanged > stored.FirstSeen ? stored.LastChanged : stored.Published,
        SummaryHtml = stored.Item.SummaryHtml,
        SummaryText = stored.Item.Summary,
        Categories = stored.Item.Category is { Length: > 0 } c ? [c] : [],
    };
}
