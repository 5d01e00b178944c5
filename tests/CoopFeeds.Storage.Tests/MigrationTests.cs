using CoopFeeds.Storage.Sqlite;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public sealed class MigrationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task MigratingTwiceChangesNothing()
    {
        await using var db = await TempDatabase.CreateAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), None);
        var version = await db.Store.GetVersionAsync(None);

        await db.Store.MigrateAsync(None);
        await SqliteItemStore.ForFile(db.FilePath).MigrateAsync(None);

        Assert.Equal(version, await db.Store.GetVersionAsync(None));
        Assert.Single(await db.Store.AllItemsAsync());
        using var connection = db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal(2L, command.ExecuteScalar());
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task ASchemaNewerThanTheCodeIsRefusedClearly()
    {
        await using var db = await TempDatabase.CreateAsync();
        using (var connection = db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Store.MigrateAsync(None));

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("up to 2", error.Message);
    }

    [Fact]
    public async Task AStoreBuiltFromAConnectionStringWorksLikeOneBuiltFromAPath()
    {
        await using var db = await TempDatabase.CreateAsync();
        var store = new SqliteItemStore($"Data Source={db.FilePath}");
        await store.MigrateAsync(None);

        await store.SaveAsync(News, [Item("a")], Success(T0), None);

        Assert.Single(await db.Store.AllItemsAsync());
    }
}
