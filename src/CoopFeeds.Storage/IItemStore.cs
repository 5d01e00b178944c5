using CoopFeeds.Core;

namespace CoopFeeds.Storage;

/// <summary>
/// Where items and each source's state live. Two implementations: SQLite (one process) and PostgreSQL (several instances).
/// </summary>
public interface IItemStore
{
    /// <summary>Creates or migrates the schema. Safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records one ingest run of a source in one transaction: upserts <paramref name="items"/> (new ones inserted,
    /// changed ones updated with a new LastChanged, unchanged ones untouched) and records <paramref name="outcome"/>.
    /// Items not in <paramref name="items"/> are never removed. A failed run passes no items and keeps everything stored.
    /// </summary>
    Task<SaveResult> SaveAsync(SourceRun source, IReadOnlyList<Item> items, IngestOutcome outcome, CancellationToken cancellationToken);

    /// <summary>Items of the query, newest first by published date, then by id (deterministic).</summary>
    Task<IReadOnlyList<StoredItem>> GetItemsAsync(ItemQuery query, CancellationToken cancellationToken);

    /// <summary>The identity keys already stored for a source (pagination stops at the first page that holds only known items).</summary>
    Task<IReadOnlySet<string>> GetIdentityKeysAsync(string sourceId, CancellationToken cancellationToken);

    /// <summary>Per-section item counts and newest change, for the index page and caches.</summary>
    Task<IReadOnlyList<SectionStats>> GetSectionStatsAsync(CancellationToken cancellationToken);

    /// <summary>Increases whenever any item changes; caches compare it to learn of changes (also across instances).</summary>
    Task<long> GetVersionAsync(CancellationToken cancellationToken);

    Task<SourceState?> GetSourceStateAsync(string sourceId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SourceState>> GetSourceStatesAsync(CancellationToken cancellationToken);

    /// <summary>Removes a source's items (those first seen at or after <paramref name="since"/> when given); returns how many.</summary>
    Task<int> PurgeAsync(string sourceId, DateTimeOffset? since, CancellationToken cancellationToken);
}

/// <summary>The source a run belongs to: its id and the section its items are published in.</summary>
public sealed record SourceRun(string SourceId, string Section);

/// <summary>What a save changed.</summary>
public sealed record SaveResult(int New, int Updated, int Unchanged);

/// <summary>Which items to read. Null sections mean every section (the combined feed, where an item listed twice appears once).</summary>
public sealed record ItemQuery
{
    public IReadOnlyList<string>? Sections { get; init; }
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Words that must all appear in the title or the summary (case-insensitive).</summary>
    public string? Text { get; init; }

    public int Limit { get; init; } = 50;
    public int Offset { get; init; }
}

public sealed record SectionStats(string Section, int ItemCount, DateTimeOffset? LastChanged);
