using System.Data.Common;
using System.Globalization;
using CoopFeeds.Core;

namespace CoopFeeds.Storage;

/// <summary>
/// The store's writes — recording a run, purging a source — inside the one write transaction a store opened for them
/// (<see cref="SqlItemStore"/>: writers take turns, so "the next position" and "the first copy of an id" cannot race).
/// Every statement is SQL that SQLite and PostgreSQL read alike.
/// </summary>
internal sealed class StoreWriter(DbConnection connection, DbTransaction transaction, SqlDialect dialect) : IAsyncDisposable
{
    // A run's statements are each one command object, made at first use and run again with new values: SQLite then
    // compiles each once per run instead of once per item. A run's stored rows are read, and its new items inserted, many
    // to a statement, so that PostgreSQL makes a few round trips per run instead of two per item (bench/README.md, "The save").
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>How many keys or ids one read names (so at most 251 parameters: far below either engine's limit).</summary>
    private const int KeysPerRead = 250;

    /// <summary>The stored rows of a source among some identity keys (<c>@k0</c>, <c>@k1</c>…).</summary>
    private static string SelectItemsByKey(int rows) => $"""
        SELECT {StoredRows.ItemColumns}
        FROM items AS i
        WHERE i.source_id = @source_id AND i.identity_key IN ({Names("@k", rows)});
        """;

    /// <summary>Where some item ids (<c>@id0</c>, <c>@id1</c>…) are stored already: each id and section once (an index scan).</summary>
    private static string SelectPlacedIds(int rows) => $"""
        SELECT DISTINCT item_id, section FROM items WHERE item_id IN ({Names("@id", rows)});
        """;

    // The positions the next first copies of ids take: the largest ones + 1 (index seeks; the writers take turns).
    private const string SelectLastPositions = """
        SELECT (SELECT coalesce(max(all_pos), 0) FROM items WHERE all_pos IS NOT NULL),
               (SELECT coalesce(max(section_pos), 0) FROM items WHERE section = @section AND section_pos IS NOT NULL);
        """;

    private static readonly string[] InsertedColumns = [.. StoredRows.ItemValueColumns, "all_pos", "section_pos"];

    // Rows go in the order of the run, so each gets a higher seq than the one before: the positions computed for them
    // (SaveRunAsync) number the first copies in seq order, as StoredFigures defines them.
    private static string InsertItems(int rows) => $"""
        INSERT INTO items (source_id, section, first_seen, last_changed, {string.Join(", ", InsertedColumns)})
        VALUES {string.Join(",\n       ", Enumerable.Range(0, rows).Select(row =>
            $"(@source_id, @section, @attempted_at, @attempted_at, {string.Join(", ", InsertedColumns.Select(column => $"@{column}{row}"))})"))};
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

    // After a save that only added or edited items of one section: its count is its last position, and its newest change
    // is now (or stays, if a run stamped with an earlier time came later).
    private const string UpdateSectionStats = """
        INSERT INTO section_stats (section, item_count, last_changed)
        VALUES (@section, (SELECT coalesce(max(section_pos), 0) FROM items WHERE section = @section AND section_pos IS NOT NULL), @attempted_at)
        ON CONFLICT (section) DO UPDATE SET
            item_count = excluded.item_count,
            last_changed = CASE WHEN section_stats.last_changed > excluded.last_changed
                                THEN section_stats.last_changed ELSE excluded.last_changed END;
        """;

    private const string AddStoredItems = """
        UPDATE source_state SET stored_item_count = stored_item_count + @delta WHERE source_id = @source_id;
        """;

    private const string BumpVersion = "UPDATE store_version SET version = version + 1 WHERE id = 1;";

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

    private const string DeleteItems = "DELETE FROM items WHERE source_id = @source_id;";

    private const string DeleteItemsSince = "DELETE FROM items WHERE source_id = @source_id AND first_seen >= @since;";

    /// <summary>Records one run as <see cref="IItemStore.SaveAsync"/> describes; the caller commits.</summary>
    public async Task<SaveResult> SaveRunAsync(SourceRun source, IReadOnlyList<Item> items, IngestOutcome outcome, CancellationToken cancellationToken)
    {
        if (source.LeaseHolder is { } holder)
        {
            // First, so that a run whose source was taken over writes nothing at all.
            await StoreLeases.ReleaseAfterRunAsync(connection, transaction, source.SourceId, holder, outcome.DefinitionFingerprint, cancellationToken);
        }

        var run = new List<Item>(items.Count);
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.SourceId != source.SourceId)
            {
                throw new ArgumentException($"Item '{item.IdentityKey}' belongs to source '{item.SourceId}', not '{source.SourceId}'.", nameof(items));
            }

            if (item.Link is { IsAbsoluteUri: false })
            {
                throw new ArgumentException($"Item '{item.IdentityKey}' has a relative link '{item.Link}'.", nameof(items));
            }

            if (seenKeys.Add(item.IdentityKey))
            {
                run.Add(item); // The first occurrence of a key in a run wins.
            }
        }

        var stored = await ReadStoredAsync(source.SourceId, run, cancellationToken);
        int updated = 0, unchanged = 0;
        var moved = false;
        var movedFrom = new SortedSet<string>(StringComparer.Ordinal);
        var added = new List<Item>();
        foreach (var item in run)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!stored.TryGetValue(item.IdentityKey, out var existing))
            {
                added.Add(item);
                continue;
            }

            var placedElsewhere = existing.Section != source.Section || existing.Item.Id != item.Id;
            if (existing.Section != source.Section) movedFrom.Add(existing.Section);
            if (!item.HasSameContentAs(existing.Item))
            {
                await Statement(UpdateItemContent, [.. StoredRows.ItemParameters(item, source, outcome.AttemptedAt), ("@seq", existing.Sequence)])
                    .ExecuteNonQueryAsync(cancellationToken);
                moved |= placedElsewhere;
                updated++;
            }
            else
            {
                if (placedElsewhere)
                {
                    await Statement(UpdateItemPlacement, [("@item_id", item.Id), ("@section", source.Section), ("@seq", existing.Sequence)])
                        .ExecuteNonQueryAsync(cancellationToken);
                    moved = true;
                }

                unchanged++;
            }
        }

        // After the updates: an update that moved an item renumbers everything below, so the new rows' positions need only
        // be right when nothing moved, and then the updates changed no stored id or section.
        await InsertAsync(source, added, outcome.AttemptedAt, cancellationToken);
        var addedCount = added.Count;

        if (moved)
        {
            // An item left a section or changed id: positions after it may shift, so number them again (rare: a source
            // moved to another section).
            await ExecuteAsync(StoredFigures.Renumber, [], cancellationToken);
        }
        else if (addedCount > 0 || updated > 0)
        {
            await ExecuteAsync(UpdateSectionStats, [("@section", source.Section), ("@attempted_at", outcome.AttemptedAt.UtcTicks)], cancellationToken);
        }

        if (addedCount > 0 || updated > 0 || moved)
        {
            await ExecuteAsync(BumpVersion, [], cancellationToken);
        }

        var result = movedFrom.Count == 0
            ? new SaveResult(addedCount, updated, unchanged)
            : new SaveResult(addedCount, updated, unchanged) { MovedFrom = [.. movedFrom] };
        await RecordSourceStateAsync(source, outcome, result, cancellationToken);
        return result;
    }

    /// <summary>Removes items as <see cref="IItemStore.PurgeAsync"/> describes; the caller commits.</summary>
    public async Task<int> PurgeAsync(string sourceId, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var removed = since is null
            ? await ExecuteAsync(DeleteItems, [("@source_id", sourceId)], cancellationToken)
            : await ExecuteAsync(DeleteItemsSince, [("@source_id", sourceId), ("@since", since.Value.UtcTicks)], cancellationToken);
        if (removed > 0)
        {
            await ExecuteAsync(StoredFigures.Renumber, [], cancellationToken);
            await ExecuteAsync(AddStoredItems, [("@source_id", sourceId), ("@delta", -removed)], cancellationToken);
            await ExecuteAsync(BumpVersion, [], cancellationToken);
        }

        return removed;
    }

    /// <summary>The source's new state (<see cref="SourceStateTransition"/>), its stored items, and a change of health if any.</summary>
    private async Task RecordSourceStateAsync(SourceRun source, IngestOutcome outcome, SaveResult result, CancellationToken cancellationToken)
    {
        var previous = await StoredRows.ReadSourceStateAsync(connection, transaction, source.SourceId, cancellationToken);
        var next = SourceStateTransition.Apply(previous, source, outcome, result);
        await ExecuteAsync(UpsertSourceState, StoredRows.SourceStateParameters(next), cancellationToken);
        if (result.New > 0)
        {
            await ExecuteAsync(AddStoredItems, [("@source_id", source.SourceId), ("@delta", result.New)], cancellationToken);
        }

        if (next.Health != (previous?.Health ?? SourceHealth.Healthy))
        {
            await ExecuteAsync(InsertSourceStateChange,
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
    }

    /// <summary>The stored rows of the run's keys, by key, read in statements of up to <see cref="KeysPerRead"/> keys.</summary>
    private async Task<Dictionary<string, StoredItem>> ReadStoredAsync(string sourceId, List<Item> run, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, StoredItem>(run.Count, StringComparer.Ordinal);
        foreach (var chunk in run.Chunk(KeysPerRead))
        {
            var command = Statement(SelectItemsByKey(chunk.Length),
                [("@source_id", sourceId), .. chunk.Select((item, row) => ($"@k{row}", (object?)item.IdentityKey))]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = StoredRows.ReadItem(reader);
                stored[row.Item.IdentityKey] = row;
            }
        }

        return stored;
    }

    /// <summary>
    /// Inserts the run's new items in its order, each with its positions: an item whose id is stored nowhere yet (nor earlier
    /// in the run) is its id's first copy and takes the next position among every item; one whose id is not yet stored in
    /// the run's section takes the next position there; a later copy gets none (StoredFigures). In statements of up to
    /// <see cref="SqlDialect.RowsPerInsert"/> rows.
    /// </summary>
    private async Task InsertAsync(SourceRun source, List<Item> added, DateTimeOffset attemptedAt, CancellationToken cancellationToken)
    {
        if (added.Count == 0) return;

        var placedAnywhere = new HashSet<string>(StringComparer.Ordinal);
        var placedInSection = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in added.Chunk(KeysPerRead))
        {
            var command = Statement(SelectPlacedIds(chunk.Length), [.. chunk.Select((item, row) => ($"@id{row}", (object?)item.Id))]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                placedAnywhere.Add(id);
                if (reader.GetString(1) == source.Section) placedInSection.Add(id);
            }
        }

        long lastOfAll, lastOfSection;
        await using (var reader = await Statement(SelectLastPositions, [("@section", source.Section)]).ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            lastOfAll = reader.GetInt64(0);
            lastOfSection = reader.GetInt64(1);
        }

        // Chunks have at most two lengths (full, then the rest): each statement's text is built once.
        var (insertRows, insertSql) = (0, "");
        foreach (var chunk in added.Chunk(dialect.RowsPerInsert))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parameters = new List<(string Name, object? Value)>(3 + chunk.Length * InsertedColumns.Length)
            {
                ("@source_id", source.SourceId), ("@section", source.Section), ("@attempted_at", attemptedAt.UtcTicks),
            };
            for (var row = 0; row < chunk.Length; row++)
            {
                var item = chunk[row];
                long? allPos = placedAnywhere.Add(item.Id) ? ++lastOfAll : null;
                long? sectionPos = placedInSection.Add(item.Id) ? ++lastOfSection : null;
                var suffix = row.ToString(CultureInfo.InvariantCulture);
                parameters.AddRange([.. StoredRows.ItemValues(item, suffix), ("@all_pos" + suffix, allPos), ("@section_pos" + suffix, sectionPos)]);
            }

            if (chunk.Length != insertRows) (insertRows, insertSql) = (chunk.Length, InsertItems(chunk.Length));
            await Statement(insertSql, parameters).ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// <paramref name="sql"/>'s command of this run, holding <paramref name="parameters"/>' values (always the same names, in
    /// the same order, for one statement).
    /// </summary>
    private DbCommand Statement(string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            _commands[sql] = command = connection.CreateCommand(transaction, sql, parameters);
            return command;
        }

        var values = command.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            values[i].Value = parameters[i].Value ?? DBNull.Value;
        }

        return command;
    }

    private static string Names(string prefix, int count) => string.Join(", ", Enumerable.Range(0, count).Select(row => $"{prefix}{row}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
    }

    private Task<int> ExecuteAsync(string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction, sql, parameters, cancellationToken);
}
