using Npgsql;

namespace CoopFeeds.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered migrations: script N (1-based) takes <c>schema_version</c> from N-1 to N, each in its
/// own transaction (DDL is transactional here). Append new scripts; never edit one that has shipped. PostgreSQL starts
/// at its own version 1, which holds what SQLite's versions 1–6 built.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>
    /// The session lock migrations run under, so that two processes starting together apply each script once. Advisory
    /// locks belong to one database, so stores in other databases of the server never wait on it.
    /// </summary>
    private const long MigrationLockKey = 0x436F_6F70_4D69_6772; // "CoopMigr"

    /// <summary>The collation the store folds case with (<see cref="PostgresItemStore"/>): ICU's root locale.</summary>
    internal const string FoldCollation = "und-x-icu";

    // SQLite's schema version 6, spelled for PostgreSQL. Instants are UTC ticks (bigint) and the published date's offset is
    // kept apart, as in SQLite, so the stores share their row mapping (StoredRows). Keys, ids and sections compare and sort
    // bytewise (COLLATE "C"), as SQLite's BINARY does, whatever the database's locale: feeds order on item_id, pages on
    // section, status on source_id. Generated columns are STORED: PostgreSQL 15 has no virtual ones.
    private const string Initial = """
        CREATE TABLE source_state (
            source_id                text COLLATE "C" NOT NULL PRIMARY KEY,
            section                  text COLLATE "C" NOT NULL,
            health                   text    NOT NULL,
            last_attempt_at          bigint  NULL,
            last_success_at          bigint  NULL,
            last_outcome             text    NULL,
            last_http_status         integer NULL,
            last_error               text    NULL,
            consecutive_failures     integer NOT NULL DEFAULT 0,
            items_found              integer NOT NULL DEFAULT 0,
            items_new                integer NOT NULL DEFAULT 0,
            items_updated            integer NOT NULL DEFAULT 0,
            etag                     text    NULL,
            last_modified            text    NULL,
            next_attempt_at          bigint  NULL,
            recent_first_page_counts text    NOT NULL DEFAULT '[]',
            definition_fingerprint   text    NULL,
            stored_item_count        integer NOT NULL DEFAULT 0
        );

        CREATE TABLE items (
            seq                      bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_id                text COLLATE "C" NOT NULL REFERENCES source_state (source_id) DEFERRABLE INITIALLY DEFERRED,
            identity_key             text COLLATE "C" NOT NULL,
            item_id                  text COLLATE "C" NOT NULL,
            section                  text COLLATE "C" NOT NULL,
            title                    text    NOT NULL,
            link                     text    NULL,
            published                bigint  NULL,
            published_offset_minutes integer NULL,
            summary                  text    NULL,
            summary_html             text    NULL,
            category                 text    NULL,
            first_seen               bigint  NOT NULL,
            last_changed             bigint  NOT NULL,
            -- The date a feed shows and sorts on: the page's date, else first seen, and never later than first seen.
            feed_date                bigint  NOT NULL GENERATED ALWAYS AS (least(coalesce(published, first_seen), first_seen)) STORED,
            -- Stored figures (StoredFigures): archive positions of each id's first-stored copy, NULL on a later copy.
            all_pos                  bigint  NULL,
            section_pos              bigint  NULL,
            UNIQUE (source_id, identity_key),
            CHECK ((published IS NULL) = (published_offset_minutes IS NULL))
        );

        CREATE INDEX ix_items_item_id ON items (item_id, section, seq);
        CREATE INDEX ix_items_newest ON items (feed_date DESC, item_id) WHERE all_pos IS NOT NULL;
        CREATE INDEX ix_items_section_newest ON items (section, feed_date DESC, item_id) WHERE section_pos IS NOT NULL;
        CREATE INDEX ix_items_all_pos ON items (all_pos) WHERE all_pos IS NOT NULL;
        CREATE INDEX ix_items_section_pos ON items (section, section_pos) WHERE section_pos IS NOT NULL;

        CREATE TABLE section_stats (
            section      text COLLATE "C" NOT NULL PRIMARY KEY,
            item_count   integer NOT NULL,
            last_changed bigint  NULL
        );

        -- One row; bumped in the transaction that inserts, updates or deletes items, so caches (on any instance) see changes.
        CREATE TABLE store_version (
            id      integer NOT NULL PRIMARY KEY CHECK (id = 1),
            version bigint  NOT NULL
        );

        INSERT INTO store_version (id, version) VALUES (1, 0);

        -- Every change of a source's health, written in the transaction that records the run; seq names entries for ever.
        CREATE TABLE source_state_changes (
            seq          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            source_id    text COLLATE "C" NOT NULL,
            section      text COLLATE "C" NOT NULL,
            changed_at   bigint  NOT NULL,
            from_health  text    NULL,
            to_health    text    NOT NULL,
            outcome      text    NOT NULL,
            http_status  integer NULL,
            detail       text    NULL
        );

        CREATE INDEX ix_source_state_changes_source ON source_state_changes (source_id, seq);
        """;

    // Leases, so that of several instances one runs a source at a time (SourceLease.cs): SQLite's version 7. A row per
    // source that ever was leased, which a lease request locks (FOR UPDATE SKIP LOCKED): who holds it until when (UTC ticks;
    // none once released), and the definition fingerprint of the last run saved under a lease.
    private const string SourceLeases = """
        CREATE TABLE source_leases (
            source_id       text COLLATE "C" NOT NULL PRIMARY KEY,
            holder          text    NULL,
            expires_at      bigint  NULL,
            run_fingerprint text    NULL
        );
        """;

    public static IReadOnlyList<string> Scripts { get; } = [Initial, SourceLeases];

    /// <summary>Applies every script the database lacks, under <see cref="MigrationLockKey"/>. A no-op when up to date.</summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await RequireUnicodeAsync(connection, cancellationToken);
        await connection.ExecuteAsync(null, "SELECT pg_advisory_lock(@key);", [("@key", MigrationLockKey)], cancellationToken);
        try
        {
            // Under the lock, so a second process waits here and then finds the version the first one left.
            await connection.ExecuteAsync(null, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    id      integer NOT NULL PRIMARY KEY CHECK (id = 1),
                    version integer NOT NULL
                );
                """, [], cancellationToken);
            var version = Convert.ToInt32(await connection.ScalarAsync(null,
                "SELECT coalesce((SELECT version FROM schema_version WHERE id = 1), 0);", [], cancellationToken));
            if (version > Scripts.Count)
            {
                throw new StoreUnavailableException(
                    $"The PostgreSQL database '{connection.Database}' has schema version {version}, but this build of CoopFeeds knows versions up to {Scripts.Count}. "
                    + "Run a newer CoopFeeds, or restore a backup taken before the upgrade.");
            }

            for (; version < Scripts.Count; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(transaction, Scripts[version], [], cancellationToken);
                await connection.ExecuteAsync(transaction, """
                    INSERT INTO schema_version (id, version) VALUES (1, @version)
                    ON CONFLICT (id) DO UPDATE SET version = excluded.version;
                    """, [("@version", version + 1)], cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            // Also released when the session ends; unlocked here because a pooled connection's session lives on.
            await connection.ExecuteAsync(null, "SELECT pg_advisory_unlock(@key);", [("@key", MigrationLockKey)], CancellationToken.None);
        }
    }

    /// <summary>
    /// Refuses a database whose text is not Unicode (SQL_ASCII, LATIN1…), where titles in other scripts would be mangled or
    /// refused, and a server without ICU, which the case folding needs.
    /// </summary>
    private static async Task RequireUnicodeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var encoding = (string?)await connection.ScalarAsync(null,
            "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database();", [], cancellationToken);
        if (encoding != "UTF8")
        {
            throw new StoreUnavailableException(
                $"The PostgreSQL database '{connection.Database}' stores text as {encoding}; CoopFeeds needs UTF8 "
                + "(CREATE DATABASE … ENCODING 'UTF8' TEMPLATE template0).");
        }

        var icu = await connection.ScalarAsync(null, "SELECT 1 FROM pg_collation WHERE collname = @name;", [("@name", FoldCollation)], cancellationToken);
        if (icu is null)
        {
            throw new StoreUnavailableException(
                $"The PostgreSQL server has no collation '{FoldCollation}'; CoopFeeds needs a PostgreSQL built with ICU (every common package is).");
        }
    }
}
