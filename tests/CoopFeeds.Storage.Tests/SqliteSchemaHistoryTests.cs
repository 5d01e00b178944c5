using CoopFeeds.Storage.Sqlite;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// What only the SQLite store has: a file in WAL mode, its version in <c>PRAGMA user_version</c>, and databases left by
/// every earlier schema version, which must migrate keeping what they hold (PostgreSQL starts at its own version 1).
/// </summary>
public sealed class SqliteSchemaHistoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task AMigratedFileIsInWalModeAtTheLatestUserVersion()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        await db.OpenStore().MigrateAsync(None);

        Assert.Equal(["7"], await db.QueryAsync("PRAGMA user_version;"));
        Assert.Equal(["wal"], await db.QueryAsync("PRAGMA journal_mode;"));
    }

    [Fact]
    public async Task ADatabaseAtSchemaVersionOneGainsTheChangeLogAndKeepsItsItems()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0, 1, 1), None);
        db.Execute(SqliteTestDatabase.UndoFeedDate
            + "DROP TABLE source_state_changes; ALTER TABLE source_state DROP COLUMN definition_fingerprint; PRAGMA user_version = 1;");

        var store = db.OpenStore();
        await store.MigrateAsync(None);
        await store.SaveAsync(News, [], Failure(T0.AddHours(1)), None);

        Assert.Single(await store.AllItemsAsync());
        Assert.Single(await store.GetSourceStateChangesAsync(null, 10, None));
    }

    [Fact]
    public async Task AVersionTwoDatabaseKeepsItsSourceStateAndAdoptsTheFingerprintWithoutLosingItsBaseline()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0, itemsFound: 1, firstPageCount: 10, etag: "\"v1\""), None);
        // The schema as version 2 left it: no fingerprint column.
        db.Execute(SqliteTestDatabase.UndoFeedDate + "ALTER TABLE source_state DROP COLUMN definition_fingerprint; PRAGMA user_version = 2;");

        await db.OpenStore().MigrateAsync(None);

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
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        await db.Store.SaveAsync(News, [Item("past", published: T0.AddDays(-1)), Item("future", published: T0.AddDays(9)), Item("undated")], Success(T0), None);
        db.Execute(SqliteTestDatabase.UndoFeedDate + "PRAGMA user_version = 3;");

        var store = db.OpenStore();
        await store.MigrateAsync(None);

        var items = await store.AllItemsAsync();
        Assert.Equal(3, items.Count);
        Assert.Equal(items.OrderByDescending(i => i.Published).ThenBy(i => i.Item.Id, StringComparer.Ordinal).Select(i => i.Item.Id), items.Select(i => i.Item.Id));
        Assert.Equal(T0.AddDays(9), items.Single(i => i.Item.Id == "urn:test:future").Item.Published);
    }

    [Fact]
    public async Task AVersionFourDatabaseLosesShownAtAndKeepsItsItemsAndOrder()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        await db.Store.SaveAsync(News, [Item("past", published: T0.AddDays(-1)), Item("future", published: T0.AddDays(9)), Item("undated")], Success(T0), None);
        var before = (await db.Store.AllItemsAsync()).Select(i => i.Item.Id).ToList();
        db.Execute(SqliteTestDatabase.UndoDropShownAt + "PRAGMA user_version = 4;");
        Assert.Contains("shown_at", await ItemColumnsAsync(db));

        var store = db.OpenStore();
        await store.MigrateAsync(None);

        Assert.DoesNotContain("shown_at", await ItemColumnsAsync(db));
        Assert.Contains("feed_date", await ItemColumnsAsync(db));
        Assert.Equal(before, (await store.AllItemsAsync()).Select(i => i.Item.Id));
        await store.SaveAsync(News, [Item("later", published: T0.AddDays(1))], Success(T0.AddHours(1)), None);
        Assert.Equal(4, (await store.AllItemsAsync()).Count);
    }

    [Fact]
    public async Task AVersionFiveDatabaseGainsTheFiguresWithTheSameAnswers()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        var events = new SourceRun("events-source", "events");
        await db.Store.SaveAsync(News, [.. Enumerable.Range(1, 7).Select(n => Item($"n{n}", published: T0.AddDays(-n)))], Success(T0), None);
        await db.Store.SaveAsync(events, [Item("n2", source: events), Item("e1", source: events)], Success(T0.AddHours(1)), None);
        db.Execute(SqliteTestDatabase.UndoStoredFigures + "PRAGMA user_version = 5;");

        await db.Store.MigrateAsync(None);

        await StoredFiguresTests.AssertMatchesDefinitionAsync(db, "after migrating from version 5");
        Assert.Equal(7, (await db.Store.GetSourceStateAsync(News.SourceId, None))?.StoredItemCount);
        Assert.Equal(2, (await db.Store.GetSourceStateAsync(events.SourceId, None))?.StoredItemCount);
    }

    [Fact]
    public async Task AVersionSixDatabaseGainsLeasesAndItsSourcesAreDueAsTheyWere()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), None);
        db.Execute(SqliteTestDatabase.UndoSourceLeases + "PRAGMA user_version = 6;");

        var store = db.OpenStore();
        await store.MigrateAsync(None);

        var early = new LeaseRequest { SourceId = News.SourceId, Holder = "a", Now = T0.AddMinutes(30), Duration = TimeSpan.FromMinutes(3) };
        Assert.Equal(new LeaseResult(LeaseAnswer.NotDue, T0.AddHours(1)), await store.TryLeaseAsync(early, None));
        Assert.True((await store.TryLeaseAsync(early with { Now = T0.AddHours(1) }, None)).Granted);
        Assert.Single(await store.AllItemsAsync());
    }

    [Fact]
    public async Task AStoreBuiltFromAConnectionStringWorksLikeOneBuiltFromAPath()
    {
        await using var db = await SqliteTestDatabase.CreateMigratedAsync();
        var store = new SqliteItemStore($"Data Source={db.FilePath}");
        await store.MigrateAsync(None);

        await store.SaveAsync(News, [Item("a")], Success(T0), None);

        Assert.Single(await db.Store.AllItemsAsync());
    }

    /// <summary>Every column of the items table, generated ones included (table_info leaves those out).</summary>
    private static Task<List<string>> ItemColumnsAsync(SqliteTestDatabase db) => db.QueryAsync("SELECT name FROM pragma_table_xinfo('items');");
}
