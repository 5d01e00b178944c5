namespace CoopFeeds.Storage.Tests.Contract;

/// <summary>
/// One provider's store for one contract test: migrated and empty, in a database of its own that disposing removes.
/// </summary>
public sealed class StoreUnderTest(IItemStore store, Func<IItemStore> openAnother, IAsyncDisposable database) : IAsyncDisposable
{
    public IItemStore Store { get; } = store;

    /// <summary>A second store on the same database, as another process would open it: for migrations run twice and concurrent saves.</summary>
    public IItemStore OpenAnother() => openAnother();

    public ValueTask DisposeAsync() => database.DisposeAsync();
}
