using Microsoft.Data.Sqlite;

namespace CoopFeeds.Storage.Sqlite;

/// <summary>
/// The SQLite schema as numbered migrations: script N (1-based) takes <c>PRAGMA user_version</c> from N-1 to N.
/// Append new scripts; never edit one that has shipped.
/// </summary>
internal static class SqliteMigrations
{
    // Instants are UTC ticks (INTEGER), so SQL orders and compares them correctly; the page's offset is kept apart
    // (minutes) so a published date round-trips exactly. Store-stamped instants (first seen, attempts) are read back in UTC.
    private const string Initial = """
        CREATE TABLE source_state (
            source_id                TEXT    NOT NULL PRIMARY KEY,
            section                  TEXT    NOT NULL,
            health                   TEXT    NOT NULL,
            last_attempt_at          INTEGER NULL,
            last_success_at          INTEGER NULL,
            last_outcome             TEXT    NULL,
            last_http_status         INTEGER NULL,
            last_error               TEXT    NULL,
            consecutive_failures     INTEGER NOT NULL DEFAULT 0,
            items_found              INTEGER NOT NULL DEFAULT 0,
            items_new                INTEGER NOT NULL DEFAULT 0,
            items_updated            INTEGER NOT NULL DEFAULT 0,
            etag                     TEXT    NULL,
            last_modified            TEXT    NULL,
            next_attempt_at          INTEGER NULL,
            recent_first_page_counts TEXT    NOT NULL DEFAULT '[]'
        ) STRICT;

        CREATE TABLE items (
            seq                      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            source_id                TEXT    NOT NULL REFERENCES source_state (source_id) DEFERRABLE INITIALLY DEFERRED,
            identity_key             TEXT    NOT NULL,
            item_id                  TEXT    NOT NULL,
            section                  TEXT    NOT NULL,
            title                    TEXT    NOT NULL,
            link                     TEXT    NULL,
            published                INTEGER NULL,
            published_offset_minutes INTEGER NULL,
            summary                  TEXT    NULL,
            summary_html             TEXT    NULL,
            category                 TEXT    NULL,
            first_seen               INTEGER NOT NULL,
            last_changed             INTEGER NOT NULL,
            -- The date a feed shows and sorts on: the page's date, else first seen.
            shown_at                 INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(published, first_seen)) VIRTUAL,
            UNIQUE (source_id, identity_key),
            CHECK ((published IS NULL) = (published_offset_minutes IS NULL))
        ) STRICT;

        CREATE INDEX ix_items_item_id ON items (item_id, section, seq);
        CREATE INDEX ix_items_newest ON items (shown_at DESC, item_id);
        CREATE INDEX ix_items_section_newest ON items (section, shown_at DESC, item_id);
        CREATE INDEX ix_items_section_seq ON items (section, seq);

        -- One row; bumped in the transaction that inserts, updates or deletes items, so caches (on any instance) see changes.
        CREATE TABLE store_version (
            id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            version INTEGER NOT NULL
        ) STRICT;

        INSERT INTO store_version (id, version) VALUES (1, 0);
        """;

    // Every change of a source's health (degraded, failing, recovered), written in the transaction that records the run,
    // so the status feed never shows a change whose run was rolled back. seq orders changes and names entries for ever.
    private const string SourceStateChanges = """
        CREATE TABLE source_state_changes (
            seq          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            source_id    TEXT    NOT NULL,
            section      TEXT    NOT NULL,
            changed_at   INTEGER NOT NULL,
            from_health  TEXT    NULL,
            to_health    TEXT    NOT NULL,
            outcome      TEXT    NOT NULL,
            http_status  INTEGER NULL,
            detail       TEXT    NULL
        ) STRICT;

        CREATE INDEX ix_source_state_changes_source ON source_state_changes (source_id, seq);
        """;

    // The fingerprint of the source definition that last read the page. Nullable, so rows stored before it keep all they
    // hold; the next run of each records it (SourceStateTransition).
    private const string DefinitionFingerprint = """
        ALTER TABLE source_state ADD COLUMN definition_fingerprint TEXT NULL;
        """;

    // Feeds sort on the date they show (StoredItem.Published): the page's date, else first seen, and never later than
    // first seen. A virtual column, so adding it rewrites nothing; the two "newest" indexes move to it.
    private const string FeedDate = """
        DROP INDEX ix_items_newest;
        DROP INDEX ix_items_section_newest;
        ALTER TABLE items ADD COLUMN feed_date INTEGER NOT NULL
            GENERATED ALWAYS AS (min(coalesce(published, first_seen), first_seen)) VIRTUAL;
        CREATE INDEX ix_items_newest ON items (feed_date DESC, item_id);
        CREATE INDEX ix_items_section_newest ON items (section, feed_date DESC, item_id);
        """;

    // shown_at is what feeds sorted on before feed_date (script 4) took its place and its indexes; nothing reads it since.
    private const string DropShownAt = """
        ALTER TABLE items DROP COLUMN shown_at;
        """;

    // Stored figures, so no document's cost grows with the store. all_pos / section_pos number the first-stored copy of each
    // item id in insertion order (among every item / within its section) and are NULL on a later copy: "each id once" is
    // a column test the partial indexes carry, an archive page is a range of positions, and a count is the largest one.
    // section_stats keeps each section's count and newest change; source_state keeps its source's stored items.
    // Numbered here once from the items (StoredFigures), then kept by every save and purge.
    private const string StoredFigures = $"""
        ALTER TABLE items ADD COLUMN all_pos INTEGER NULL;
        ALTER TABLE items ADD COLUMN section_pos INTEGER NULL;
        ALTER TABLE source_state ADD COLUMN stored_item_count INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE section_stats (
            section      TEXT    NOT NULL PRIMARY KEY,
            item_count   INTEGER NOT NULL,
            last_changed INTEGER NULL
        ) STRICT;

        {Storage.StoredFigures.Renumber}
        {Storage.StoredFigures.RecountSources}

        DROP INDEX ix_items_newest;
        DROP INDEX ix_items_section_newest;
        DROP INDEX ix_items_section_seq;
        CREATE INDEX ix_items_newest ON items (feed_date DESC, item_id) WHERE all_pos IS NOT NULL;
        CREATE INDEX ix_items_section_newest ON items (section, feed_date DESC, item_id) WHERE section_pos IS NOT NULL;
        CREATE INDEX ix_items_all_pos ON items (all_pos) WHERE all_pos IS NOT NULL;
        CREATE INDEX ix_items_section_pos ON items (section, section_pos) WHERE section_pos IS NOT NULL;
        """;

    // Leases, so that of several processes on one file (serve and ingest) one runs a source at a time (SourceLease.cs). A
    // row per source that ever was leased: who holds it until when (UTC ticks; none once released), and the definition
    // fingerprint of the last run saved under a lease, which tells whether an edit of the sources file has run yet.
    private const string SourceLeases = """
        CREATE TABLE source_leases (
            source_id       TEXT    NOT NULL PRIMARY KEY,
            holder          TEXT    NULL,
            expires_at      INTEGER NULL,
            run_fingerprint TEXT    NULL
        ) STRICT;
        """;

    public static IReadOnlyList<string> Scripts { get; } =
        [Initial, SourceStateChanges, DefinitionFingerprint, FeedDate, DropShownAt, StoredFigures, SourceLeases];

    /// <summary>Applies every script the database lacks, each in its own transaction. A no-op when up to date.</summary>
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        // journal_mode is persistent in the file and cannot change inside a transaction.
        await connection.ExecuteAsync(null, "PRAGMA journal_mode = WAL;", [], cancellationToken);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // BEGIN IMMEDIATE: two processes starting at once serialize here, and the second one re-reads the version.
            using var transaction = connection.BeginTransaction(deferred: false);
            var version = await ReadVersionAsync(connection, transaction, cancellationToken);
            if (version > Scripts.Count)
            {
                throw new StoreUnavailableException(
                    $"The SQLite database '{connection.DataSource}' has schema version {version}, but this build of CoopFeeds knows versions up to {Scripts.Count}. "
                    + "Run a newer CoopFeeds, or restore a backup taken before the upgrade.");
            }

            if (version == Scripts.Count)
            {
                return;
            }

            await connection.ExecuteAsync(transaction, Scripts[(int)version], [], cancellationToken);
            // PRAGMA takes no parameters; the value is an integer this code computed.
            await connection.ExecuteAsync(transaction, $"PRAGMA user_version = {version + 1};", [], cancellationToken);
            transaction.Commit();
        }
    }

    private static async Task<long> ReadVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken) =>
        (long)(await connection.ScalarAsync(transaction, "PRAGMA user_version;", [], cancellationToken))!;
}
