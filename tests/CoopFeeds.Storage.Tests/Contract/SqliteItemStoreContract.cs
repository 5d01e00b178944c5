using CoopFeeds.Storage.Sqlite;

namespace CoopFeeds.Storage.Tests.Contract;

public sealed class SqliteItemStoreContract : ItemStoreContract
{
    protected override async Task<StoreUnderTest> CreateStoreAsync()
    {
        var database = await TempDatabase.CreateAsync();
        return new StoreUnderTest(database.Store, () => SqliteItemStore.ForFile(database.FilePath), database);
    }
}
