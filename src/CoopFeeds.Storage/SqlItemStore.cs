using System.Data.Common;
using CoopFeeds.Core;

namespace CoopFeeds.Storage;

/// <summary>
/// What every SQL store does, written once: the save of a run and the purge (<see cref="StoreWriter"/>), the queries,
/// row mapping (<see cref="StoredRows"/>) and filters (<see cref="ItemFilter"/>), over plain ADO.NET. A store supplies
/// only how it opens a connection, how it begins the write transaction that makes writers take turns, its schema and
/// migrations, and the few spellings its SQL differs in (<see cref="SqlDialect"/>).
/// </summary>
public abstract class SqlItemStore : IItemStore
{
    private static string SelectNewest(ItemFilter filter) => $"""
        SELECT {StoredRows.ItemColumns}
        FROM items AS i
        WHERE {filter.Sql}
        ORDER BY i.feed_date DESC, i.item_id
        LIMIT @limit OFFSET @offset;
        """;

    // Insertion order, and the first-stored copy of each id: an item added later never lands on an earlier page. A page
    // is a range of stored positions, so a deep page costs what the first one does.
    private const string SelectArchiveOfAll = $"""
        SELECT {StoredRows.ItemColumns}
        FROM items AS i
        WHERE i.all_pos >= @from AND i.all_pos <= @to
        ORDER BY i.all_pos;
        """;

    private const string SelectArchiveOfSection = $"""
        SELECT {StoredRows.ItemColumns}
        FROM items AS i
        WHERE i.section = @section AND i.section_pos >= @from AND i.section_pos <= @to
        ORDER BY i.section_pos;
        """;

    private const string SelectAllCount = "SELECT coalesce(max(all_pos), 0) FROM items WHERE all_pos IS NOT NULL;";

    private const string SelectSectionCount = "SELECT coalesce((SELECT item_count FROM section_stats WHERE section = @section), 0);";

    private const string SelectIdentityKeys = "SELECT identity_key FROM items WHERE source_id = @source_id;";

    // Each id once per section, as the section's feed shows it (kept by every save: StoredFigures).
    private const string SelectSectionStats = """
        SELECT section, item_count, last_changed
        FROM section_stats
        WHERE item_count > 0
        ORDER BY section;
        """;

    private const string SelectVersion = "SELECT version FROM store_version WHERE id = 1;";

    private const string SelectSourceStates = $"""
        SELECT {StoredRows.SourceStateColumns}
        FROM source_state AS s
        ORDER BY s.source_id;
        """;

    private const string SelectSourceStateChanges = $"""
        SELECT {StoredRows.SourceStateChangeColumns}
        FROM source_state_changes
        ORDER BY seq DESC
        LIMIT @limit;
        """;

    private const string SelectSourceStateChangesOfSource = $"""
        SELECT {StoredRows.SourceStateChangeColumns}
        FROM source_state_changes
        WHERE source_id = @source_id
        ORDER BY seq DESC
        LIMIT @limit;
        """;

    private readonly SqlDialect _dialect;

    private protected SqlItemStore(SqlDialect dialect) => _dialect = dialect;

    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>An open connection, ready for queries (a pooled one: a store is used by many tasks at once).</summary>
    private protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins the transaction of one write. It must make writers take turns from its start, because a save reads what it
    /// then writes (the next position is the largest one + 1; the first copy of an id is the one no earlier row has).
    /// </summary>
    private protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// The last statement of every write, after its changes and before its commit; nothing by default. PostgreSQL tells
    /// other processes of the write here (<see cref="Postgres.PostgresItemStore.ListenAsync"/>).
    /// </summary>
    private protected virtual Task BeforeCommitAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>
    /// Begins the transaction that reads and takes one lease. Holders must take turns on the lease row (with
    /// <see cref="SqlDialect.LockLeaseRow"/>), but need not wait for saves of other sources.
    /// </summary>
    private protected abstract Task<DbTransaction> BeginLeaseAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Waits, before a write opens its connection, until this process's other writes are done, where the database would
    /// otherwise make them poll for its lock (SQLite); the turn ends when the result is disposed. None by default: PostgreSQL
    /// queues waiting writers itself, on its advisory lock, and its leases wait only on their own rows.
    /// </summary>
    private protected virtual ValueTask<WriteTurn> TakeWriteTurnAsync(CancellationToken cancellationToken) => default;

    public async Task<SaveResult> SaveAsync(SourceRun source, IReadOnlyList<Item> items, IngestOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(outcome);

        using var turn = await TakeWriteTurnAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        // Disposing without a commit rolls back: an exception or a cancellation anywhere below leaves nothing half-written.
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await using var writer = new StoreWriter(connection, transaction, _dialect);
        var result = await writer.SaveRunAsync(source, items, outcome, cancellationToken);
        await BeforeCommitAsync(connection, transaction, cancellationToken);
        await CommitAsync(transaction, cancellationToken);
        return result;
    }

    public async Task<int> PurgeAsync(string sourceId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);

        using var turn = await TakeWriteTurnAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await using var writer = new StoreWriter(connection, transaction, _dialect);
        var removed = await writer.PurgeAsync(sourceId, since, cancellationToken);
        await BeforeCommitAsync(connection, transaction, cancellationToken);
        await CommitAsync(transaction, cancellationToken);
        return removed;
    }

    public async Task<LeaseResult> TryLeaseAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero);

        using var turn = await TakeWriteTurnAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginLeaseAsync(connection, cancellationToken);
        var result = await StoreLeases.TryLeaseAsync(connection, transaction, _dialect, request, cancellationToken);
        await CommitAsync(transaction, cancellationToken);
        return result;
    }

    public async Task<bool> RenewLeaseAsync(string sourceId, string holder, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(holder);

        using var turn = await TakeWriteTurnAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        return await StoreLeases.RenewAsync(connection, sourceId, holder, until, cancellationToken);
    }

    public async Task ReleaseLeaseAsync(string sourceId, string holder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);
        ArgumentNullException.ThrowIfNull(holder);

        using var turn = await TakeWriteTurnAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        await StoreLeases.ReleaseAsync(connection, sourceId, holder, cancellationToken);
    }

    public async Task<IReadOnlyList<StoredItem>> GetItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);

        var filter = ItemFilter.From(_dialect, query.Sections, query.Categories, query.Text);
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ReadAllAsync(null, SelectNewest(filter),
            [.. filter.Parameters, ("@limit", query.Limit), ("@offset", query.Offset)], StoredRows.ReadItem, cancellationToken);
    }

    public async Task<int> CountItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        await using var connection = await OpenAsync(cancellationToken);
        object? count;
        if (query.Categories.Count == 0 && string.IsNullOrWhiteSpace(query.Text) && query.Sections is null or [_])
        {
            // Unfiltered: a stored figure, whatever the store's size.
            count = query.Sections is [var section]
                ? await connection.ScalarAsync(null, SelectSectionCount, [("@section", section)], cancellationToken)
                : await connection.ScalarAsync(null, SelectAllCount, [], cancellationToken);
        }
        else
        {
            var filter = ItemFilter.From(_dialect, query.Sections, query.Categories, query.Text);
            count = await connection.ScalarAsync(null, $"SELECT count(*) FROM items AS i WHERE {filter.Sql};", filter.Parameters, cancellationToken);
        }

        return Convert.ToInt32(count);
    }

    public async Task<IReadOnlyList<StoredItem>> GetArchiveAsync(string? section, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);

        var from = (long)(page - 1) * pageSize + 1;
        (string Name, object? Value)[] range = [("@from", from), ("@to", from + pageSize - 1)];
        await using var connection = await OpenAsync(cancellationToken);
        return section is null
            ? await connection.ReadAllAsync(null, SelectArchiveOfAll, range, StoredRows.ReadItem, cancellationToken)
            : await connection.ReadAllAsync(null, SelectArchiveOfSection, [.. range, ("@section", section)], StoredRows.ReadItem, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> GetIdentityKeysAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);

        await using var connection = await OpenAsync(cancellationToken);
        var keys = await connection.ReadAllAsync(null, SelectIdentityKeys, [("@source_id", sourceId)], reader => reader.GetString(0), cancellationToken);
        return keys.ToHashSet(StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<SectionStats>> GetSectionStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ReadAllAsync(null, SelectSectionStats, [], StoredRows.ReadSectionStats, cancellationToken);
    }

    public async Task<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return Convert.ToInt64(await connection.ScalarAsync(null, SelectVersion, [], cancellationToken));
    }

    public async Task<SourceState?> GetSourceStateAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);

        await using var connection = await OpenAsync(cancellationToken);
        return await StoredRows.ReadSourceStateAsync(connection, null, sourceId, cancellationToken);
    }

    public async Task<IReadOnlyList<SourceState>> GetSourceStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ReadAllAsync(null, SelectSourceStates, [], StoredRows.ReadSourceState, cancellationToken);
    }

    public async Task<IReadOnlyList<SourceStateChange>> GetSourceStateChangesAsync(string? sourceId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);

        await using var connection = await OpenAsync(cancellationToken);
        return sourceId is null
            ? await connection.ReadAllAsync(null, SelectSourceStateChanges, [("@limit", limit)], StoredRows.ReadSourceStateChange, cancellationToken)
            : await connection.ReadAllAsync(null, SelectSourceStateChangesOfSource, [("@source_id", sourceId), ("@limit", limit)],
                StoredRows.ReadSourceStateChange, cancellationToken);
    }

    private static async Task CommitAsync(DbTransaction transaction, CancellationToken cancellationToken)
    {
        // The last moment a cancellation still undoes the whole write; once the commit is under way it runs to its end,
        // so the caller never has to wonder whether a cancelled commit happened.
        cancellationToken.ThrowIfCancellationRequested();
        await transaction.CommitAsync(CancellationToken.None);
    }
}
