using CoopFeeds.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CoopFeeds.Storage.Tests;

/// <summary>A real SQLite file in a fresh temporary folder, deleted with the folder afterwards.</summary>
public sealed class SqliteTestDatabase : TestDatabase
{
    private SqliteTestDatabase(string folder)
    {
        Folder = folder;
        FilePath = Path.Combine(folder, "coopfeeds.db");
        Store = SqliteItemStore.ForFile(FilePath);
    }

    public string Folder { get; }
    public string FilePath { get; }
    public override IItemStore Store { get; }
    public override int LatestSchemaVersion => 7;

    public static SqliteTestDatabase Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "coopfeeds-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return new SqliteTestDatabase(folder);
    }

    /// <summary>A fresh, migrated SQLite database, for the SQLite-only tests.</summary>
    public static async Task<SqliteTestDatabase> CreateMigratedAsync()
    {
        var database = Create();
        await database.Store.MigrateAsync(CancellationToken.None);
        return database;
    }

    public static (IItemStore Store, string Name) Unreachable()
    {
        var path = Path.Combine(Path.GetTempPath(), "coopfeeds-storage-tests", "no-such-folder-" + Guid.NewGuid().ToString("N"), "coopfeeds.db");
        return (SqliteItemStore.ForFile(path), path);
    }

    public override IItemStore OpenStore() => SqliteItemStore.ForFile(FilePath);

    /// <summary>Takes the schema back to what version 6 left (before leases), for migration tests.</summary>
    public const string UndoSourceLeases = """
        DROP TABLE source_leases;

        """;

    /// <summary>Takes the schema back to what version 5 left (before the stored figures), for migration tests.</summary>
    public const string UndoStoredFigures = UndoSourceLeases + """
        DROP INDEX ix_items_newest;
        DROP INDEX ix_items_section_newest;
        DROP INDEX ix_items_all_pos;
        DROP INDEX ix_items_section_pos;
        ALTER TABLE items DROP COLUMN all_pos;
        ALTER TABLE items DROP COLUMN section_pos;
        ALTER TABLE source_state DROP COLUMN stored_item_count;
        DROP TABLE section_stats;
        CREATE INDEX ix_items_newest ON items (feed_date DESC, item_id);
        CREATE INDEX ix_items_section_newest ON items (section, feed_date DESC, item_id);
        CREATE INDEX ix_items_section_seq ON items (section, seq);

        """;

    /// <summary>Takes the items table back to what schema version 4 left (shown_at beside feed_date), for migration tests.</summary>
    public const string UndoDropShownAt = UndoStoredFigures + """
        ALTER TABLE items ADD COLUMN shown_at INTEGER NOT NULL GENERATED ALWAYS AS (coalesce(published, first_seen)) VIRTUAL;

        """;

    /// <summary>Takes the items table back to what schema version 3 left (before feed_date), for migration tests.</summary>
    public const string UndoFeedDate = UndoDropShownAt + """
        DROP INDEX ix_items_newest;
        DROP INDEX ix_items_section_newest;
        ALTER TABLE items DROP COLUMN feed_date;
        CREATE INDEX ix_items_newest ON items (shown_at DESC, item_id);
        CREATE INDEX ix_items_section_newest ON items (section, shown_at DESC, item_id);
        """;

    /// <summary>A raw connection for what the store does not expose (pragmas, crafted schema versions).</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> on a raw connection, then drops pooled connections so stores see the change.</summary>
    public void Execute(string sql)
    {
        using (var connection = OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }

    public override Task<List<string>> QueryAsync(string sql, string? section = null)
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@section", (object?)section ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetValue(0).ToString()!);
        return Task.FromResult(rows);
    }

    public override async Task<long> ReadSchemaVersionAsync() => long.Parse((await QueryAsync("PRAGMA user_version;")).Single());

    public override Task WriteSchemaVersionAsync(long version)
    {
        Execute($"PRAGMA user_version = {version};");
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
