using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests.Contract;

/// <summary>
/// What every store must do, written once: each provider's subclass says how to build its store, and xunit runs every test
/// here once per subclass. Tests are <c>[SkippableFact]</c> so that a provider without a server reports them skipped.
/// </summary>
public abstract class ItemStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A migrated, empty store of the provider under test, in a database no other test sees.</summary>
    protected abstract Task<StoreUnderTest> CreateStoreAsync();

    [SkippableFact]
    public async Task AFreshStoreIsEmptyAtVersionZero()
    {
        await using var target = await CreateStoreAsync();

        Assert.Equal(0, await target.Store.GetVersionAsync(None));
        Assert.Empty(await target.Store.AllItemsAsync());
        Assert.Equal(0, await target.Store.CountItemsAsync(new ItemQuery(), None));
        Assert.Empty(await target.Store.GetSectionStatsAsync(None));
        Assert.Empty(await target.Store.GetSourceStatesAsync(None));
    }

    [SkippableFact]
    public async Task MigratingAgainFromAnyStoreChangesNothing()
    {
        await using var target = await CreateStoreAsync();
        await target.Store.SaveAsync(News, [Item("a"), Item("b", published: T0.AddDays(-1))], Success(T0, itemsFound: 2), None);
        var version = await target.Store.GetVersionAsync(None);
        var items = await target.Store.AllItemsAsync();
        var state = await target.Store.GetSourceStateAsync(News.SourceId, None);

        await target.Store.MigrateAsync(None);
        var another = target.OpenAnother();
        await another.MigrateAsync(None);

        Assert.True(version > 0);
        Assert.Equal(version, await another.GetVersionAsync(None));
        Assert.Equal(items, await another.AllItemsAsync());
        Assert.Equal(state, await another.GetSourceStateAsync(News.SourceId, None));
    }
}
