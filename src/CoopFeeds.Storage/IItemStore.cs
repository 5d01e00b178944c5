using CoopFeeds.Core;

namespace CoopFeeds.Storage;

/// <summary>
/// Where items and each source's state live. Two stores keep this contract alike (<see cref="SqlItemStore"/>): SQLite, one
/// file for one machine, and PostgreSQL, one database for several instances (docs/architecture.md#how-it-scales).
/// </summary>
public interface IItemStore
{
    /// <summary>Creates or migrates the schema. Safe to call on every start, from several processes at once.</summary>
    /// <exception cref="StoreUnavailableException">The store cannot be reached or opened, or its schema is newer than this build.</exception>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records one ingest run of a source in one transaction: upserts <paramref name="items"/> (new ones inserted,
    /// changed ones updated with a new LastChanged, unchanged ones untouched) and records <paramref name="outcome"/>.
    /// Items not in <paramref name="items"/> are never removed. A failed run passes no items and keeps everything stored.
    /// Items are keyed on (source id, identity key); when a key occurs twice in <paramref name="items"/> the first wins.
    /// First seen and last changed come from <see cref="IngestOutcome.AttemptedAt"/>, never from the clock.
    /// </summary>
    Task<SaveResult> SaveAsync(SourceRun source, IReadOnlyList<Item> items, IngestOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Items of the query, newest first by <see cref="StoredItem.Published"/> (the page's date, else first seen, never after first seen), then by id
    /// (deterministic). An item id stored more than once among the selected sections (two sources list the same link)
    /// appears once: the copy stored first.
    /// </summary>
    Task<IReadOnlyList<StoredItem>> GetItemsAsync(ItemQuery query, CancellationToken cancellationToken);

    /// <summary>How many items <see cref="GetItemsAsync"/> would return without <see cref="ItemQuery.Limit"/> and <see cref="ItemQuery.Offset"/>.</summary>
    Task<int> CountItemsAsync(ItemQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Archive page <paramref name="page"/> (1 = the oldest) of a section, or of every section when <paramref name="section"/>
    /// is null: items in insertion order, each id once as in <see cref="GetItemsAsync"/>. New items only ever go on the
    /// last page, so a full page never changes membership (RFC 5005 archives).
    /// </summary>
    Task<IReadOnlyList<StoredItem>> GetArchiveAsync(string? section, int page, int pageSize, CancellationToken cancellationToken);

    /// <summary>The identity keys already stored for a source (pagination stops at the first page that holds only known items).</summary>
    Task<IReadOnlySet<string>> GetIdentityKeysAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>Per-section item counts (each id once) and newest change, for the index page and caches; ordered by section.</summary>
    Task<IReadOnlyList<SectionStats>> GetSectionStatsAsync(CancellationToken cancellationToken);

    /// <summary>Increases whenever any item changes; caches compare it to learn of changes (also across instances).</summary>
    Task<long> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>The state of one source, or null when it never ran.</summary>
    Task<SourceState?> GetSourceStateAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>The state of every source that ran, ordered by source id.</summary>
    Task<IReadOnlyList<SourceState>> GetSourceStatesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The newest changes of source health, newest first, at most <paramref name="limit"/>; only of <paramref name="sourceId"/> when given.
    /// A change is recorded by <see cref="SaveAsync"/> in the same transaction as the run that caused it; a first run that is
    /// healthy is no change.
    /// </summary>
    Task<IReadOnlyList<SourceStateChange>> GetSourceStateChangesAsync(string? sourceId, int limit, CancellationToken cancellationToken);

    /// <summary>Removes a source's items (those first seen at or after <paramref name="since"/> when given); returns how many.</summary>
    Task<int> PurgeAsync(string sourceId, DateTimeOffset? since, CancellationToken cancellationToken);

    /// <summary>
    /// Leases a source to <see cref="LeaseRequest.Holder"/> until <see cref="LeaseRequest.Now"/> + <see cref="LeaseRequest.Duration"/>,
    /// so that of several instances (or <c>serve</c> and <c>ingest</c>) one runs it at a time: granted when no other holder's
    /// lease on it is unexpired and the request's <see cref="LeaseRequest.Condition"/> holds (a lease the requester holds
    /// counts as free). Due-ness is read from the stored state, so a source another holder ran since the requester last
    /// looked is refused with its new next attempt. Holders take turns on the lease row: PostgreSQL locks it
    /// (<c>FOR UPDATE SKIP LOCKED</c>, so a holder never waits on another's), SQLite takes it inside <c>BEGIN IMMEDIATE</c>.
    /// </summary>
    Task<LeaseResult> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the end of <paramref name="holder"/>'s lease on a source to <paramref name="until"/>, while a run goes on; false when
    /// it holds the lease no longer (another holder took the source over after it expired).
    /// </summary>
    Task<bool> RenewLeaseAsync(string sourceId, string holder, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>
    /// Gives up <paramref name="holder"/>'s lease on a source whose run saved nothing (cancelled, or it threw), so another holder
    /// may take it at once. A save under the lease (<see cref="SourceRun.LeaseHolder"/>) releases it itself.
    /// </summary>
    Task ReleaseLeaseAsync(string sourceId, string holder, CancellationToken cancellationToken);
}

/// <summary>The source a run belongs to: its id and the section its items are published in.</summary>
public sealed record SourceRun(string SourceId, string Section)
{
    /// <summary>
    /// The holder whose lease the run ran under (<see cref="IItemStore.TryLeaseAsync"/>), or null for a run outside any lease.
    /// The save releases the lease in its transaction, recording which definition ran; when another holder has taken the
    /// source over meanwhile it throws <see cref="LeaseLostException"/> and saves nothing.
    /// </summary>
    public string? LeaseHolder { get; init; }
}

/// <summary>What a save changed.</summary>
public sealed record SaveResult(int New, int Updated, int Unchanged)
{
    /// <summary>
    /// Sections other than the run's that items of the run left (its source moved to another section), in order; empty for
    /// most runs. Their feeds changed, and so did the run's section's, even when every item is <see cref="Unchanged"/>.
    /// </summary>
    public IReadOnlyList<string> MovedFrom { get; init; } = [];
}

/// <summary>Which items to read. Null sections mean every section (the combined feed, where an item listed twice appears once).</summary>
public sealed record ItemQuery
{
    public IReadOnlyList<string>? Sections { get; init; }

    /// <summary>Items whose category is any of these (case-insensitive); empty means every category.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Whitespace-separated words that must each appear in the title or the summary (case-insensitive, taken literally).</summary>
    public string? Text { get; init; }

    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
}

public sealed record SectionStats(string Section, int ItemCount, DateTimeOffset? LastChanged);
