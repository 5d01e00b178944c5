using System.Data.Common;
using CoopFeeds.Core;

namespace CoopFeeds.Storage;

/// <summary>
/// The store's writes — recording a run, purging a source — inside the one write transaction a store opened for them
/// (<see cref="SqlItemStore"/>: writers take turns, so "the next position" and "the first copy of an id" cannot race).
/// Every statement is SQL that SQLite and PostgreSQL read alike.
/// </summary>
internal sealed class StoreWriter(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    // The statements a run makes once per item are each one command object, made at first use and run again with new
    // values: SQLite then compiles each once per run instead of once per item (a first save of 200 items took about half
    // the time: bench/README.md).
    private readonly Dictionary<string, DbCommand> _perItem = new(StringComparer.Ordinal);

    private const string SelectItemByKey = $"""
        SELECT {StoredRows.ItemColumns}
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

        int added = 0, updated = 0, unchanged = 0;
        var moved = false;
        var movedFrom = new SortedSet<string>(StringComparer.Ordinal);
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

            StoredItem? stored;
            await using (var reader = await PerItem(SelectItemByKey, [("@source_id", source.SourceId), ("@identity_key", item.IdentityKey)])
                .ExecuteReaderAsync(cancellationToken))
            {
                stored = await reader.ReadAsync(cancellationToken) ? StoredRows.ReadItem(reader) : null;
            }

            var placedElsewhere = stored is not null && (stored.Section != source.Section || stored.Item.Id != item.Id);
            if (stored is not null && stored.Section != source.Section) movedFrom.Add(stored.Section);
            if (stored is null)
            {
                await PerItem(InsertItem, StoredRows.ItemParameters(item, source, outcome.AttemptedAt)).ExecuteNonQueryAsync(cancellationToken);
                added++;
            }
            else if (!item.HasSameContentAs(stored.Item))
            {
                await PerItem(UpdateItemContent, [.. StoredRows.ItemParameters(item, source, outcome.AttemptedAt), ("@seq", stored.Sequence)])
                    .ExecuteNonQueryAsync(cancellationToken);
                moved |= placedElsewhere;
                updated++;
            }
            else
            {
                if (placedElsewhere)
                {
                    await PerItem(UpdateItemPlacement, [("@item_id", item.Id), ("@section", source.Section), ("@seq", stored.Sequence)])
                        .ExecuteNonQueryAsync(cancellationToken);
                    moved = true;
                }

                unchanged++;
            }
        }

        if (moved)
        {
            // An item left a section or changed id: positions after it may shift, so number them again (rare: a source
            // moved to another section).
            await ExecuteAsync(StoredFigures.Renumber, [], cancellationToken);
        }
        else if (added > 0 || updated > 0)
        {
            await ExecuteAsync(UpdateSectionStats, [("@section", source.Section), ("@attempted_at", outcome.AttemptedAt.UtcTicks)], cancellationToken);
        }

        if (added > 0 || updated > 0 || moved)
        {
            await ExecuteAsync(BumpVersion, [], cancellationToken);
        }

        var result = movedFrom.Count == 0
            ? new SaveResult(added, updated, unchanged)
            : new SaveResult(added, updated, unchanged) { MovedFrom = [.. movedFrom] };
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

    /// <summary><paramref name="sql"/>'s command of this run, holding <paramref name="parameters"/>' values (always the same names).</summary>
    private DbCommand PerItem(string sql, IReadOnlyList<(string Name, object? Value)> parameters)
    {
        if (!_perItem.TryGetValue(sql, out var command))
        {
            _perItem[sql] = command = connection.CreateCommand(transaction, sql, parameters);
            return command;
        }

        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _perItem.Values)
        {
            await command.DisposeAsync();
        }
    }

    private Task<int> ExecuteAsync(string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction, sql, parameters, cancellationToken);
}
