using CoopFeeds.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace CoopFeeds.Storage.Tests;

/// <summary>A real SQLite file in a fresh temporary folder, migrated, and deleted with the folder afterwards.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private TempDatabase(string folder)
    {
        Folder = folder;
        FilePath = Path.Combine(folder, "coopfeeds.db");
        Store = SqliteItemStore.ForFile(FilePath);
    }

    public string Folder { get; }
    public string FilePath { get; }
    public SqliteItemStore Store { get; }

    public static async Task<TempDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "coopfeeds-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new TempDatabase(folder);
        await database.Store.MigrateAsync(CancellationToken.None);
        return database;
    }

    /// <summary>A raw connection for what the store does not expose (pragmas, crafted schema versions).</summary>
    public SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them before deleting.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
