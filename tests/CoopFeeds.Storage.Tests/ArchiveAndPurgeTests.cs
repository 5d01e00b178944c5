using CoopFeeds.Core;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class ArchiveAndPurgeTests(StoreKind kind) : StoreContract(kind)
{

    [SkippableFact]
    public async Task ArchivePagesKeepTheirItemsWhenNewerItemsArrive()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [.. Enumerable.Range(1, 5).Select(n => Item($"n{n}", published: T0.AddDays(-n)))], Success(T0), None);
        var firstPage = await db.Store.GetArchiveAsync("news", 1, 2, None);
        var secondPage = await db.Store.GetArchiveAsync("news", 2, 2, None);

        // Later arrivals, one of them dated before everything stored, and one already stored by another source.
        var other = new SourceRun("other-news", "news");
        await db.Store.SaveAsync(other, [Item("n1", source: other), Item("late", source: other, published: T0.AddYears(-1))], Success(T0.AddDays(1)), None);
        await db.Store.SaveAsync(News, [Item("n6")], Success(T0.AddDays(2)), None);

        Assert.Equal(["urn:test:n1", "urn:test:n2"], firstPage.Select(s => s.Item.Id));
        Assert.Equal(firstPage, await db.Store.GetArchiveAsync("news", 1, 2, None));
        Assert.Equal(secondPage, await db.Store.GetArchiveAsync("news", 2, 2, None));
        Assert.Equal(["urn:test:n5", "urn:test:late"], (await db.Store.GetArchiveAsync("news", 3, 2, None)).Select(s => s.Item.Id));
        Assert.Equal(["urn:test:n6"], (await db.Store.GetArchiveAsync(null, 4, 2, None)).Select(s => s.Item.Id));
        Assert.Empty(await db.Store.GetArchiveAsync("news", 5, 2, None));
        Assert.Empty(await db.Store.GetArchiveAsync("events", 1, 2, None));
    }

    [SkippableFact]
    public async Task PurgeRemovesItemsFirstSeenSinceATimeOrAll()
    {
        await using var db = await CreateDatabaseAsync();
        var other = new SourceRun("other-news", "news");
        await db.Store.SaveAsync(News, [Item("a"), Item("b"), Item("c")], Success(T0), None);
        await db.Store.SaveAsync(News, [Item("d"), Item("e")], Success(T0.AddDays(1)), None);
        await db.Store.SaveAsync(other, [Item("x", source: other)], Success(T0.AddDays(1)), None);
        var version = await db.Store.GetVersionAsync(None);

        var recent = await db.Store.PurgeAsync(News.SourceId, T0.AddDays(1), None);

        Assert.Equal(2, recent);
        Assert.Equal(["example.org/a", "example.org/b", "example.org/c"], (await db.Store.GetIdentityKeysAsync(News.SourceId, None)).Order());
        Assert.Equal(version + 1, await db.Store.GetVersionAsync(None));

        Assert.Equal(3, await db.Store.PurgeAsync(News.SourceId, null, None));
        Assert.Equal(0, await db.Store.PurgeAsync(News.SourceId, null, None));
        Assert.Equal(version + 2, await db.Store.GetVersionAsync(None));
        Assert.Equal(["urn:test:x"], (await db.Store.AllItemsAsync()).Select(s => s.Item.Id));
        Assert.Equal(0, (await db.Store.GetSourceStateAsync(News.SourceId, None))?.StoredItemCount);
    }
}

public sealed class SqliteArchiveAndPurgeTests() : ArchiveAndPurgeTests(StoreKind.Sqlite);

public sealed class PostgresArchiveAndPurgeTests() : ArchiveAndPurgeTests(StoreKind.Postgres);
