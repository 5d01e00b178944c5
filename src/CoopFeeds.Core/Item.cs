namespace CoopFeeds.Core;

/// <summary>
/// One normalized entry of a listing, as extraction and normalization produce it.
/// Every string here is already clean: no markup in text fields, no character XML 1.0 forbids.
/// </summary>
public sealed record Item
{
    /// <summary>The feed id: <c>urn:uuid:</c> + a name-based UUID of <see cref="IdentityKey"/>.</summary>
    public required string Id { get; init; }

    /// <summary>The canonical link without scheme, or <c>source:&lt;id&gt;:&lt;hash of title&gt;</c> when the item has no link (see <c>ItemIdentity</c>).</summary>
    public required string IdentityKey { get; init; }

    public required string SourceId { get; init; }

    public required string Title { get; init; }

    /// <summary>Absolute http(s) link to the item's page, or null when the listing gave none.</summary>
    public Uri? Link { get; init; }

    /// <summary>The publication instant with the offset the page gave, or null when the page gave no date.</summary>
    public DateTimeOffset? Published { get; init; }

    /// <summary>The summary as plain text (null when there is none).</summary>
    public string? Summary { get; init; }

    /// <summary>The summary as sanitized HTML with absolute URLs (null when there is none).</summary>
    public string? SummaryHtml { get; init; }

    public string? Category { get; init; }

    /// <summary>
    /// True when everything a subscriber sees is the same: title, link, date, summary (text and HTML) and category. The store
    /// rewrites a stored item, and moves its last-changed time, only when this is false. Id, identity key and source are not
    /// compared. Equality is .NET's: dates compare as instants (another offset alone is no edit); links ignore user info and fragment.
    /// </summary>
    public bool HasSameContentAs(Item other) =>
        Title == other.Title
        && Link == other.Link
        && Published == other.Published
        && Summary == other.Summary
        && SummaryHtml == other.SummaryHtml
        && Category == other.Category;
}

/// <summary>An item as the store keeps it: the item, the section it is published in, and its history.</summary>
public sealed record StoredItem
{
    public required Item Item { get; init; }

    public required string Section { get; init; }

    /// <summary>When this service first saw the item. Never changes.</summary>
    public required DateTimeOffset FirstSeen { get; init; }

    /// <summary>When the item's content last changed (equals <see cref="FirstSeen"/> until it is edited).</summary>
    public required DateTimeOffset LastChanged { get; init; }

    /// <summary>Insertion order in the store; archives page on it so that a full archive never changes membership.</summary>
    public required long Sequence { get; init; }

    /// <summary>
    /// The date a feed shows and sorts on: the page's date, else the first-seen time stored once. A page date later than
    /// first seen (an event's date, a local date ahead of UTC) shows as first seen: a feed never dates an item in the
    /// future (RSS 2.0 pubDate; feed-standards checklist 1.9; the W3C validator's ImplausibleDate). The store's
    /// <c>feed_date</c> column is the same rule.
    /// </summary>
    public DateTimeOffset Published => Item.Published is { } page && page <= FirstSeen ? page : FirstSeen;
}
