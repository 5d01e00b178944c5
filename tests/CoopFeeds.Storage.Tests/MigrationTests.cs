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
        Assert.Equal(6L, command.ExecuteScalar());
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

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.Store.MigrateAsync(None));

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains("up to 6", error.Message);
    }

    [Fact]
    public async Task AVersionTwoDatabaseKeepsItsSourceStateAndAdoptsTheFingerprintWithoutLosingItsBaseline()
    {
        await using var db = await TempDatabase.CreateAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0, itemsFound: 1, firstPageCount: 10, etag: "\"v1\""), None);
        using (var connection = db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            // The schema as version 2 left it: no fingerprint column.
            command.CommandText = TempDatabase.UndoFeedDate + "ALTER TABLE source_state DROP COLUMN definition_fingerprint; PRAGMA user_version = 2;";
            command.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await SqliteItemStore.ForFile(db.FilePath).MigrateAsync(None);

        var migrated = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.NotNull(migrated);
        Assert.Null(migrated.DefinitionFingerprint);
        Assert.Equal("\"v1\"", migrated.Validators.ETag);
        Assert.Equal([10], migrated.RecentFirstPageCounts);
        Assert.Single(await db.Store.AllItemsAsync());

        await db.Store.SaveAsync(News, [], Success(T0.AddHours(1), firstPageCount: 9) with { DefinitionFingerprint = "f1" }, None);

        var adopted = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.Equal("f1", adopted?.DefinitionFingerprint);
        Assert.Equal([10, 9], adopted?.RecentFirstPageCounts);
    }

    [Fact]
    public async Task AVersionThreeDatabaseGainsTheFeedDateAndKeepsItsItemsAndOrder()
    {
        await using var db = await TempDatabase.CreateAsync();
        await db.Store.SaveAsync(News, [Item("past", published: T0.AddDays(-1)), Item("future", published: T0.AddDays(9)), Item("undated")], Success(T0), None);
        using (var connection = db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = TempDatabase.UndoFeedDate + "PRAGMA user_version = 3;";
            command.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var store = SqliteItemStore.ForFile(db.FilePath);
        await store.MigrateAsync(None);

        var items = await store.AllItemsAsync();
        Assert.Equal(3, items.Count);
        Assert.Equal(items.OrderByDescending(i => i.Published).ThenBy(i => i.Item.Id, StringComparer.Ordinal).Select(i => i.Item.Id), items.Select(i => i.Item.Id));
        Assert.Equal(T0.AddDays(9), items.Single(i => i.Item.Id == "urn:test:future").Item.Published);
    }

    [Fact]
    public async Task AVersionFourDatabaseLosesShownAtAndKeepsItsItemsAndOrder()
    {
        await using var db = await TempDatabase.CreateAsync();
        await db.Store.SaveAsync(News, [Item("past", published: T0.AddDays(-1)), Item("future", published: T0.AddDays(9)), Item("undated")], Success(T0), None);
        var before = (await db.Store.AllItemsAsync()).Select(i => i.Item.Id).ToList();
        using (var connection = db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = TempDatabase.UndoDropShownAt + "PRAGMA user_version = 4;";
            command.ExecuteNonQuery();
        }
        Assert.Contains("shown_at", ItemColumns(db));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var store = SqliteItemStore.ForFile(db.FilePath);
        await store.MigrateAsync(None);

        Assert.DoesNotContain("shown_at", ItemColumns(db));
        Assert.Contains("feed_date", ItemColumns(db));
        Assert.Equal(before, (await store.AllItemsAsync()).Select(i => i.Item.Id));
        await store.SaveAsync(News, [Item("later", published: T0.AddDays(1))], Success(T0.AddHours(1)), None);
        Assert.Equal(4, (await store.AllItemsAsync()).Count);
    }

    /// <summary>Every column of the items table, generated ones included (table_info leaves those out).</summary>
    private static List<string> ItemColumns(TempDatabase db)
    {
        using var connection = db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_table_xinfo('items');";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read()) columns.Add(reader.GetString(0));
        return columns;
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
