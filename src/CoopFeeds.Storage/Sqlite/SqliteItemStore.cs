using System.Data;
using System.Text;
using System.Text.Json;
using CoopFeeds.Core;
using CoopFeeds.Core.Outcomes;
using Microsoft.Data.Sqlite;

namespace CoopFeeds.Storage.Sqlite;

/// <summary>
/// The store for one machine: a SQLite file in WAL mode, plain SQL, a pooled connection per operation (so it is thread-safe)
/// and every write in one <c>BEGIN IMMEDIATE</c> transaction.
/// </summary>
public sealed class SqliteItemStore : IItemStore
{
    /// <summary>How long a connection waits for another writer before giving up (SQLite's busy handler).</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Case folding for category and text filters, done in .NET because SQLite's lower() knows only ASCII.</summary>
    private const string FoldFunction = "coop_fold";

    private const string ItemColumns = """
        i.seq, i.source_id, i.identity_key, i.item_id, i.section, i.title, i.link, i.published, i.published_offset_minutes,
        i.summary, i.summary_html, i.category, i.first_seen, i.last_changed
        """;

    private const string SelectItemByKey = $"""
        SELECT {ItemColumns}
        FROM items AS i
        WHERE i.source_id = @source_id AND i.identity_key = @identity_key;
        """;

    // A new row has the highest seq, so it is the first copy of its id (among every item, within its section) exactly when
    // no stored row has that id, and then goes last: the next position. Both lookups are index seeks (StoredFigures).
    private const string InsertItem = """
        INSERT INTO items (source_id, identity_key, item_id, section, title, link, published, published_offset_minutes,
                           summary, summary_html, category, first_seen, last_changed, all_pos, section_pos)
        VALUES (@source_id, @identity_key, @item_id, @section, @title, @link, @published, @published_offset_minutes,
                @summary, @summary_html, @category, @attempted_at, @attempted_at,
                CASE WHEN EXISTS (SELECT 1 FROM items WHERE item_id = @item_id) THEN NULL
                     ELSE (SELECT coalesce(max(all_pos), 0) + 1 FROM items WHERE all_pos IS NOT NULL) END,
                CASE WHEN EXISTS (SELECT 1 FROM items WHERE item_id = @item_id AND section = @section) THEN NULL
                     ELSE (SELECT coalesce(max(section_pos), 0) + 1 FROM items WHERE section = @section AND section_pos IS NOT NULL) END);
        """;

    private const string UpdateItemContent = """
        UPDATE items
        SET item_id = @item_id, section = @section, title = @title, link = @link,
            published = @published, published_offset_minutes = @published_offset_minutes,
            summary = @summary, summary_html = @summary_html, category = @category, last_changed = @attempted_at
        WHERE seq = @seq;
        """;

    // Content unchanged but published elsewhere (the source moved to another section): not an edit, so last_changed stays.
    private const string UpdateItemPlacement = """
        UPDATE items SET item_id = @item_id, section = @section WHERE seq = @seq;
        """;

    // After a save that only added or edited items of one section: its count is its last position, and its newest change is now.
    private const string UpdateSectionStats = """
        INSERT INTO section_stats (section, item_count, last_changed)
        VALUES (@section, (SELECT coalesce(max(section_pos), 0) FROM items WHERE section = @section AND section_pos IS NOT NULL), @attempted_at)
        ON CONFLICT (section) DO UPDATE SET
            item_count = excluded.item_count,
            last_changed = max(coalesce(section_stats.last_changed, excluded.last_changed), excluded.last_changed);
        """;

    private const string AddStoredItems = """
        UPDATE source_state SET stored_item_count = stored_item_count + @delta WHERE source_id = @source_id;
        """;

    private const string BumpVersion = "UPDATE store_version SET version = version + 1 WHERE id = 1;";

    private const string SelectVersion = "SELECT version FROM store_version WHERE id = 1;";

    private const string SourceStateColumns = """
        s.source_id, s.section, s.health, s.last_attempt_at, s.last_success_at, s.last_outcome, s.last_http_status, s.last_error,
        s.consecutive_failures, s.items_found, s.items_new, s.items_updated, s.etag, s.last_modified, s.next_attempt_at,
        s.recent_first_page_counts, s.definition_fingerprint, s.stored_item_count
        """;

    private const string SelectSourceState = $"""
        SELECT {SourceStateColumns}
        FROM source_state AS s
        WHERE s.source_id = @source_id;
        """;

    private const string SelectSourceStates = $"""
        SELECT {SourceStateColumns}
        FROM source_state AS s
        ORDER BY s.source_id;
        """;

    private const string UpsertSourceState = """
        INSERT INTO source_state (source_id, section, health, last_attempt_at, last_success_at, last_outcome, last_http_status,
                                  last_error, consecutive_failures, items_found, items_new, items_updated, etag, last_modified,
                                  next_attempt_at, recent_first_page_counts, definition_fingerprint)
        VALUES (@source_id, @section, @health, @last_attempt_at, @last_success_at, @last_outcome, @last_http_status,
                @last_error, @consecutive_failures, @items_found, @items_new, @items_updated, @etag, @last_modified,
                @next_attempt_at, @recent_first_page_counts, @definition_fingerprint)
        ON CONFLICT (source_id) DO UPDATE SET
            section = excluded.section, health = excluded.health, last_attempt_at = excluded.last_attempt_at,
            last_success_at = excluded.last_success_at, last_outcome = excluded.last_outcome,
            last_http_status = excluded.last_http_status, last_error = excluded.last_error,
            consecutive_failures = excluded.consecutive_failures, items_found = excluded.items_found,
            items_new = excluded.items_new, items_updated = excluded.items_updated, etag = excluded.etag,
            last_modified = excluded.last_modified, next_attempt_at = excluded.next_attempt_at,
            recent_first_page_counts = excluded.recent_first_page_counts, definition_fingerprint = excluded.definition_fingerprint;
        """;

    private const string InsertSourceStateChange = """
        INSERT INTO source_state_changes (source_id, section, changed_at, from_health, to_health, outcome, http_status, detail)
        VALUES (@source_id, @section, @changed_at, @from_health, @to_health, @outcome, @http_status, @detail);
        """;

    private const string SelectSourceStateChanges = """
        SELECT seq, source_id, section, changed_at, from_health, to_health, outcome, http_status, detail
        FROM source_state_changes
        WHERE @source_id IS NULL OR source_id = @source_id
        ORDER BY seq DESC
        LIMIT @limit;
        """;

    private const string SelectIdentityKeys = "SELECT identity_key FROM items WHERE source_id = @source_id;";

    // Each id once per section, as the section's feed shows it (kept by every save: StoredFigures).
    private const string SelectSectionStats = """
        SELECT section, item_count, last_changed
        FROM section_stats
        WHERE item_count > 0
        ORDER BY section;
        """;

    private const string SelectAllCount = "SELECT coalesce(max(all_pos), 0) FROM items WHERE all_pos IS NOT NULL;";

    private const string SelectSectionCount = "SELECT coalesce((SELECT item_count FROM section_stats WHERE section = @section), 0);";

    private const string DeleteItems = """
        DELETE FROM items
        WHERE source_id = @source_id AND (@since IS NULL OR first_seen >= @since);
        """;

    private readonly string _connectionString;

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string; pooling stays on unless it says otherwise.</param>
    public SqliteItemStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = new SqliteConnectionStringBuilder(connectionString).ToString();
    }

    /// <summary>A store in the SQLite file at <paramref name="path"/>, created by <see cref="MigrateAsync"/> if missing (its folder must exist).</summary>
    public static SqliteItemStore ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        };
        return new SqliteItemStore(builder.ToString());
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await SqliteMigrations.ApplyAsync(connection, cancellationToken);
    }

    public async Task<SaveResult> SaveAsync(SourceRun source, IReadOnlyList<Item> items, IngestOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(outcome);

        await using var connection = await OpenAsync(cancellationToken);
        // Disposing without Commit rolls back: an exception or a cancellation anywhere below leaves nothing half-written.
        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);

        int added = 0, updated = 0, unchanged = 0;
        var moved = false;
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (item.SourceId != source.SourceId)
            {
                throw new ArgumentException($"Item '{item.IdentityKey}' belongs to source '{item.SourceId}', not '{source.SourceId}'.", nameof(items));
            }

            if (item.Link is { IsAbsoluteUri: false })
            {
                throw new ArgumentException($"Item '{item.IdentityKey}' has a relative link '{item.Link}'.", nameof(items));
            }

            if (!seenKeys.Add(item.IdentityKey))
            {
                continue; // The first occurrence of a key in a run wins.
            }

            var stored = await FindItemAsync(connection, transaction, source.SourceId, item.IdentityKey, cancellationToken);
            if (stored is null)
            {
                await ExecuteAsync(connection, transaction, InsertItem, ItemParameters(item, source, outcome.AttemptedAt), cancellationToken);
                added++;
            }
            else if (!item.HasSameContentAs(stored.Item))
            {
                await ExecuteAsync(connection, transaction, UpdateItemContent, [.. ItemParameters(item, source, outcome.AttemptedAt), ("@seq", stored.Sequence)], cancellationToken);
                moved |= stored.Section != source.Section || stored.Item.Id != item.Id;
                updated++;
            }
            else
            {
                if (stored.Section != source.Section || stored.Item.Id != item.Id)
                {
                    await ExecuteAsync(connection, transaction, UpdateItemPlacement,
                        [("@item_id", item.Id), ("@section", source.Section), ("@seq", stored.Sequence)], cancellationToken);
                    moved = true;
                }

                unchanged++;
            }
        }

        if (moved)
        {
            // An item left a section or changed id: positions after it may shift, so number them again (rare: a source
            // moved to another section).
            await ExecuteAsync(connection, transaction, StoredFigures.Renumber, [], cancellationToken);
        }
        else if (added > 0 || updated > 0)
        {
            await ExecuteAsync(connection, transaction, UpdateSectionStats,
                [("@section", source.Section), ("@attempted_at", outcome.AttemptedAt.UtcTicks)], cancellationToken);
        }

        if (added > 0 || updated > 0 || moved)
        {
            await ExecuteAsync(connection, transaction, BumpVersion, [], cancellationToken);
        }

        var result = new SaveResult(added, updated, unchanged);
        var previous = await ReadSourceStateAsync(connection, transaction, source.SourceId, cancellationToken);
        var next = SourceStateTransition.Apply(previous, source, outcome, result);
        await ExecuteAsync(connection, transaction, UpsertSourceState, SourceStateParameters(next), cancellationToken);
        if (added > 0)
        {
            await ExecuteAsync(connection, transaction, AddStoredItems, [("@source_id", source.SourceId), ("@delta", added)], cancellationToken);
        }
        if (next.Health != (previous?.Health ?? SourceHealth.Healthy))
        {
            await ExecuteAsync(connection, transaction, InsertSourceStateChange,
            [
                ("@source_id", next.SourceId),
                ("@section", next.Section),
                ("@changed_at", outcome.AttemptedAt.UtcTicks),
                ("@from_health", previous?.Health.ToString()),
                ("@to_health", next.Health.ToString()),
                ("@outcome", outcome.Kind.ToString()),
                ("@http_status", outcome.Fetch.StatusCode),
                ("@detail", outcome.Detail),
            ], cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        transaction.Commit();
        return result;
    }

    public async Task<IReadOnlyList<StoredItem>> GetItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset);

        var filter = ItemFilter.From(query.Sections, query.Categories, query.Text);
        var sql = $"""
            SELECT {ItemColumns}
            FROM items AS i
            WHERE {filter.Sql}
            ORDER BY i.feed_date DESC, i.item_id
            LIMIT @limit OFFSET @offset;
            """;
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadItemsAsync(connection, sql, [.. filter.Parameters, ("@limit", query.Limit), ("@offset", query.Offset)], cancellationToken);
    }

    public async Task<int> CountItemsAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);

        if (query.Categories.Count == 0 && string.IsNullOrWhiteSpace(query.Text) && query.Sections is null or [_])
        {
            // Unfiltered: a stored figure, whatever the store's size.
            await using var figures = await OpenAsync(cancellationToken);
            await using var figure = query.Sections is [var section]
                ? CreateCommand(figures, null, SelectSectionCount, [("@section", section)])
                : CreateCommand(figures, null, SelectAllCount, []);
            return Convert.ToInt32(await figure.ExecuteScalarAsync(cancellationToken));
        }

        var filter = ItemFilter.From(query.Sections, query.Categories, query.Text);
        var sql = $"""
            SELECT count(*)
            FROM items AS i
            WHERE {filter.Sql};
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, sql, filter.Parameters);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<StoredItem>> GetArchiveAsync(string? section, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);

        // Insertion order, and the first-stored copy of each id: an item added later never lands on an earlier page. A page
        // is a range of stored positions, so a deep page costs what the first one does.
        var sql = section is null
            ? $"""
                SELECT {ItemColumns}
                FROM items AS i
                WHERE i.all_pos >= @from AND i.all_pos <= @to
                ORDER BY i.all_pos;
                """
            : $"""
                SELECT {ItemColumns}
                FROM items AS i
                WHERE i.section = @section AND i.section_pos >= @from AND i.section_pos <= @to
                ORDER BY i.section_pos;
                """;
        var from = (long)(page - 1) * pageSize + 1;
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadItemsAsync(connection, sql,
            [("@section", section), ("@from", from), ("@to", from + pageSize - 1)], cancellationToken);
    }

    public async Task<IReadOnlySet<string>> GetIdentityKeysAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectIdentityKeys, [("@source_id", sourceId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    public async Task<IReadOnlyList<SectionStats>> GetSectionStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectSectionStats, []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stats = new List<SectionStats>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stats.Add(new SectionStats(reader.GetString(0), reader.GetInt32(1), ReadInstant(reader, 2)));
        }

        return stats;
    }

    public async Task<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectVersion, []);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<SourceState?> GetSourceStateAsync(string sourceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);

        await using var connection = await OpenAsync(cancellationToken);
        return await ReadSourceStateAsync(connection, null, sourceId, cancellationToken);
    }

    public async Task<IReadOnlyList<SourceState>> GetSourceStatesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectSourceStates, []);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<SourceState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            states.Add(ReadSourceState(reader));
        }

        return states;
    }

    public async Task<IReadOnlyList<SourceStateChange>> GetSourceStateChangesAsync(string? sourceId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);

        await using var connection = await OpenAsync(cancellationToken);
        await using var command = CreateCommand(connection, null, SelectSourceStateChanges, [("@source_id", sourceId), ("@limit", limit)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<SourceStateChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new SourceStateChange
            {
                Sequence = reader.GetInt64(0),
                SourceId = reader.GetString(1),
                Section = reader.GetString(2),
                ChangedAt = ReadInstant(reader, 3)!.Value,
                From = reader.IsDBNull(4) ? null : Enum.Parse<SourceHealth>(reader.GetString(4)),
                To = Enum.Parse<SourceHealth>(reader.GetString(5)),
                Outcome = Enum.Parse<OutcomeKind>(reader.GetString(6)),
                HttpStatus = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                Detail = ReadString(reader, 8),
            });
        }

        return changes;
    }

    public async Task<int> PurgeAsync(string sourceId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sourceId);

        await using var connection = await OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
        var removed = await ExecuteAsync(connection, transaction, DeleteItems,
            [("@source_id", sourceId), ("@since", since?.UtcTicks)], cancellationToken);
        if (removed > 0)
        {
            await ExecuteAsync(connection, transaction, StoredFigures.Renumber, [], cancellationToken);
            await ExecuteAsync(connection, transaction, AddStoredItems, [("@source_id", sourceId), ("@delta", -removed)], cancellationToken);
            await ExecuteAsync(connection, transaction, BumpVersion, [], cancellationToken);
        }

        transaction.Commit();
        return removed;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per connection, not persistent: set on every open (pooled connections keep them, setting again is cheap).
            await using (var command = CreateCommand(connection, null,
                $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;", []))
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            connection.CreateFunction(FoldFunction, (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static SqliteCommand CreateCommand(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<StoredItem?> FindItemAsync(SqliteConnection connection, SqliteTransaction transaction,
        string sourceId, string identityKey, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, SelectItemByKey,
            [("@source_id", sourceId), ("@identity_key", identityKey)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadItem(reader) : null;
    }

    private static async Task<IReadOnlyList<StoredItem>> ReadItemsAsync(SqliteConnection connection, string sql,
        IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadItem(reader));
        }

        return items;
    }

    private static async Task<SourceState?> ReadSourceStateAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string sourceId, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, SelectSourceState, [("@source_id", sourceId)]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadSourceState(reader) : null;
    }

    private static (string Name, object? Value)[] ItemParameters(Item item, SourceRun source, DateTimeOffset attemptedAt) =>
    [
        ("@source_id", source.SourceId),
        ("@identity_key", item.IdentityKey),
        ("@item_id", item.Id),
        ("@section", source.Section),
        ("@title", item.Title),
        // OriginalString: the link reads back as the very Uri it was.
        ("@link", item.Link?.OriginalString),
        ("@published", item.Published?.UtcTicks),
        ("@published_offset_minutes", item.Published is { } published ? (long)published.Offset.TotalMinutes : null),
        ("@summary", item.Summary),
        ("@summary_html", item.SummaryHtml),
        ("@category", item.Category),
        ("@attempted_at", attemptedAt.UtcTicks),
    ];

    /// <summary>Reads a row selected with <see cref="ItemColumns"/>, in that column order.</summary>
    private static StoredItem ReadItem(SqliteDataReader reader)
    {
        DateTimeOffset? published = reader.IsDBNull(7)
            ? null
            : new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt64(8)));
        return new StoredItem
        {
            Sequence = reader.GetInt64(0),
            Section = reader.GetString(4),
            Item = new Item
            {
                SourceId = reader.GetString(1),
                IdentityKey = reader.GetString(2),
                Id = reader.GetString(3),
                Title = reader.GetString(5),
                Link = reader.IsDBNull(6) ? null : new Uri(reader.GetString(6), UriKind.Absolute),
                Published = published,
                Summary = ReadString(reader, 9),
                SummaryHtml = ReadString(reader, 10),
                Category = ReadString(reader, 11),
            },
            FirstSeen = ReadInstant(reader, 12)!.Value,
            LastChanged = ReadInstant(reader, 13)!.Value,
        };
    }

    private static (string Name, object? Value)[] SourceStateParameters(SourceState state) =>
    [
        ("@source_id", state.SourceId),
        ("@section", state.Section),
        ("@health", state.Health.ToString()),
        ("@last_attempt_at", state.LastRun.AttemptedAt.UtcTicks),
        ("@last_success_at", state.LastSuccessAt?.UtcTicks),
        ("@last_outcome", state.LastRun.Kind.ToString()),
        ("@last_http_status", state.LastRun.Fetch.StatusCode),
        ("@last_error", state.LastRun.Error),
        ("@consecutive_failures", state.ConsecutiveFailures),
        ("@items_found", state.LastRun.ItemsFound),
        ("@items_new", state.ItemsNew),
        ("@items_updated", state.ItemsUpdated),
        ("@etag", state.Validators.ETag),
        ("@last_modified", state.Validators.LastModified),
        ("@next_attempt_at", state.LastRun.NextAttemptAt?.UtcTicks),
        ("@recent_first_page_counts", JsonSerializer.Serialize(state.RecentFirstPageCounts.ToArray())),
        ("@definition_fingerprint", state.DefinitionFingerprint),
    ];

    /// <summary>Reads a row selected with <see cref="SourceStateColumns"/>, in that column order.</summary>
    private static SourceState ReadSourceState(SqliteDataReader reader) => new()
    {
        SourceId = reader.GetString(0),
        Section = reader.GetString(1),
        Health = Enum.Parse<SourceHealth>(reader.GetString(2)),
        LastRun = IngestOutcome.Stored(
            Enum.Parse<OutcomeKind>(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetInt32(6), ReadString(reader, 7),
            ReadInstant(reader, 3)!.Value) with
        {
            ItemsFound = reader.GetInt32(9),
            NextAttemptAt = ReadInstant(reader, 14),
        },
        LastSuccessAt = ReadInstant(reader, 4),
        ConsecutiveFailures = reader.GetInt32(8),
        ItemsNew = reader.GetInt32(10),
        ItemsUpdated = reader.GetInt32(11),
        Validators = new(ReadString(reader, 12), ReadString(reader, 13)),
        RecentFirstPageCounts = JsonSerializer.Deserialize<int[]>(reader.GetString(15)) ?? [],
        DefinitionFingerprint = ReadString(reader, 16),
        StoredItemCount = reader.GetInt32(17),
    };

    private static string? ReadString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Instants the store stamps are kept as UTC ticks and read back in UTC.</summary>
    private static DateTimeOffset? ReadInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);

    /// <summary>
    /// The WHERE clause shared by feeds, counts and archives: the selected sections, each id once (its first-stored copy
    /// among those sections), then categories and words. Values travel as parameters; only parameter names are built.
    /// </summary>
    private sealed record ItemFilter(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)
    {
        public static ItemFilter From(IReadOnlyList<string>? sections, IReadOnlyList<string> categories, string? text)
        {
            var parameters = new List<(string Name, object? Value)>();
            var sql = new StringBuilder();
            switch (sections)
            {
                // Every section, or one: the stored positions say which copy is the first (StoredFigures), and the partial
                // indexes on them give the newest items without reading the rest.
                case null:
                    sql.Append("i.all_pos IS NOT NULL");
                    break;
                case [var section]:
                    parameters.Add(("@section0", section));
                    sql.Append("i.section = @section0 AND i.section_pos IS NOT NULL");
                    break;
                default:
                    var sectionList = InList("@section", sections, parameters, fold: false);
                    sql.Append($"""
                        i.section IN ({sectionList})
                        AND NOT EXISTS (
                            SELECT 1 FROM items AS e
                            WHERE e.item_id = i.item_id AND e.seq < i.seq AND e.section IN ({sectionList}))
                        """);
                    break;
            }

            if (categories is { Count: > 0 })
            {
                sql.Append($"\nAND {FoldFunction}(i.category) IN ({InList("@category", categories, parameters, fold: true)})");
            }

            // instr() matches words literally: a % or _ in the text is a character, never a wildcard.
            var words = text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
            for (var index = 0; index < words.Length; index++)
            {
                var name = $"@word{index}";
                parameters.Add((name, words[index].ToLowerInvariant()));
                sql.Append($"\nAND (instr({FoldFunction}(i.title), {name}) > 0 OR instr({FoldFunction}(coalesce(i.summary, '')), {name}) > 0)");
            }

            return new ItemFilter(sql.ToString(), parameters);
        }

        /// <summary>Parameter names for an IN list; an empty list selects nothing (SQL has no empty IN list).</summary>
        private static string InList(string prefix, IReadOnlyList<string> values, List<(string Name, object? Value)> parameters, bool fold)
        {
            if (values.Count == 0)
            {
                return "NULL";
            }

            var names = new List<string>(values.Count);
            for (var index = 0; index < values.Count; index++)
            {
                var name = $"{prefix}{index}";
                names.Add(name);
                parameters.Add((name, fold ? values[index].ToLowerInvariant() : values[index]));
            }

            return string.Join(", ", names);
        }
    }
}
