using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class MigrationTests(StoreKind kind) : StoreContract(kind)
{
    [SkippableFact]
    public async Task MigratingTwiceChangesNothing()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), None);
        var version = await db.Store.GetVersionAsync(None);

        await db.Store.MigrateAsync(None);
        await db.OpenStore().MigrateAsync(None);

        Assert.Equal(version, await db.Store.GetVersionAsync(None));
        Assert.Single(await db.Store.AllItemsAsync());
        Assert.Equal(db.LatestSchemaVersion, await db.ReadSchemaVersionAsync());
    }

    [SkippableFact]
    public async Task StoresMigratingAnEmptyDatabaseAtOnceBuildTheSchemaOnce()
    {
        await using var db = await CreateDatabaseAsync(migrate: false);
        // Three processes starting together, each with its own store object.
        IItemStore[] stores = [db.Store, db.OpenStore(), db.OpenStore()];

        await Task.WhenAll(stores.Select(store => Task.Run(() => store.MigrateAsync(None))));

        Assert.Equal(db.LatestSchemaVersion, await db.ReadSchemaVersionAsync());
        Assert.Equal(0, await stores[1].GetVersionAsync(None));
        await stores[2].SaveAsync(News, [Item("a")], Success(T0), None);
        Assert.Single(await stores[0].AllItemsAsync());
        Assert.Equal(1, await stores[1].GetVersionAsync(None));
    }

    [SkippableFact]
    public async Task ASchemaNewerThanTheCodeIsRefusedClearly()
    {
        await using var db = await CreateDatabaseAsync();
        await db.WriteSchemaVersionAsync(99);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.OpenStore().MigrateAsync(None));

        Assert.Contains("schema version 99", error.Message);
        Assert.Contains($"up to {db.LatestSchemaVersion}", error.Message);
    }

    [SkippableFact]
    public async Task AStoreThatCannotBeReachedSaysWhichInOneLineWithoutItsPassword()
    {
        var (store, name) = TestDatabase.Unreachable(Kind);
        await using var disposable = store as IAsyncDisposable;

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync(None));

        Assert.Contains(name, error.Message);
        Assert.DoesNotContain("not-shown", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}

public sealed class SqliteMigrationTests() : MigrationTests(StoreKind.Sqlite);

public sealed class PostgresMigrationTests() : MigrationTests(StoreKind.Postgres);
