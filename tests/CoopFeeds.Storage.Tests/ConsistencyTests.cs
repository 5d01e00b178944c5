using System.Collections;
using System.Data.Common;
using CoopFeeds.Core;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class ConsistencyTests(StoreKind kind) : StoreContract(kind)
{

    [SkippableFact]
    public async Task ConcurrentSavesFromTwoStoreObjectsAllSucceed()
    {
        await using var db = await CreateDatabaseAsync();
        // Two store objects on one database, each with its own connections, as two processes have; tasks share them.
        IItemStore[] stores = [db.Store, db.OpenStore()];
        var sources = Enumerable.Range(0, 8).Select(n => new SourceRun($"source-{n}", n % 2 == 0 ? "news" : "events")).ToArray();

        var saves = Enumerable.Range(0, 32).Select(n => Task.Run(async () =>
        {
            var source = sources[n % sources.Length];
            var items = Enumerable.Range(0, 25).Select(i => Item($"{source.SourceId}/{i}", source: source)).ToArray();
            return await stores[n % stores.Length].SaveAsync(source, items, Success(T0.AddMinutes(n), itemsFound: items.Length), None);
        })).ToArray();
        var results = await Task.WhenAll(saves);

        Assert.Equal(8 * 25, results.Sum(r => r.New));
        Assert.Equal(32 * 25, results.Sum(r => r.New + r.Unchanged));
        Assert.Equal(8 * 25, await db.Store.CountItemsAsync(new ItemQuery(), None));
        // Positions were handed out one writer at a time, in insertion order: each of 1…200 holds exactly one item.
        var positions = new List<StoredItem>();
        for (var position = 1; position <= 8 * 25 + 1; position++)
        {
            positions.AddRange(await db.Store.GetArchiveAsync(null, position, 1, None));
            Assert.Equal(Math.Min(position, 8 * 25), positions.Count);
        }
        Assert.Equal(positions.OrderBy(s => s.Sequence), positions);
        Assert.Equal([100, 100], (await db.Store.GetSectionStatsAsync(None)).Select(s => s.ItemCount));
        var states = await db.Store.GetSourceStatesAsync(None);
        Assert.Equal(8, states.Count);
        Assert.All(states, s => Assert.Equal(25, s.StoredItemCount));
    }

    [SkippableFact]
    public async Task ASaveThatFailsMidwayLeavesThePreviousStateUntouched()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0, itemsFound: 2, firstPageCount: 2, etag: "\"v1\""), None);
        var before = await SnapshotAsync(db.Store);

        // An edit and a new item are written before the broken item (a null title the type system was talked out of) fails.
        Item[] items = [Item("a", title: "Edited"), Item("c"), Item("d") with { Title = null! }];
        await Assert.ThrowsAnyAsync<DbException>(() =>
            db.Store.SaveAsync(News, items, Success(T0.AddHours(1), itemsFound: 3, firstPageCount: 3, etag: "\"v2\""), None));

        Assert.Equal(before, await SnapshotAsync(db.Store));
    }

    [SkippableFact]
    public async Task ASaveCancelledMidwayLeavesThePreviousStateUntouched()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0, itemsFound: 2, firstPageCount: 2), None);
        var before = await SnapshotAsync(db.Store);

        using var cancellation = new CancellationTokenSource();
        var items = new CancellingList([Item("a", title: "Edited"), Item("c"), Item("d")], cancelAt: 2, cancellation);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            db.Store.SaveAsync(News, items, Success(T0.AddHours(1), itemsFound: 3), cancellation.Token));

        Assert.True(items.CancelledAfterWrites);
        Assert.Equal(before, await SnapshotAsync(db.Store));
    }

    [SkippableFact]
    public async Task WritesStillRunAfterAFailedSaveAndTwoCancelledOnes()
    {
        await using var db = await CreateDatabaseAsync();
        // A write that failed, one cancelled midway and one cancelled before it began must each give back the store's
        // write turn (SQLite's writers take turns in the process): the writes after them would otherwise wait forever, so
        // each is given a minute and fails with a TimeoutException after it.
        static Task<T> Bounded<T>(Task<T> write) => write.WaitAsync(TimeSpan.FromMinutes(1));
        await Assert.ThrowsAnyAsync<DbException>(() =>
            Bounded(db.Store.SaveAsync(News, [Item("a") with { Title = null! }], Success(T0, itemsFound: 1), None)));
        using (var cancellation = new CancellationTokenSource())
        {
            var items = new CancellingList([Item("a"), Item("b")], cancelAt: 1, cancellation);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Bounded(db.Store.SaveAsync(News, items, Success(T0, itemsFound: 2), cancellation.Token)));
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Bounded(db.Store.SaveAsync(News, [Item("a")], Success(T0, itemsFound: 1), new CancellationToken(canceled: true))));

        var saves = Enumerable.Range(0, 4).Select(n => new SourceRun($"source-{n}", "news"))
            .Select((source, n) => db.Store.SaveAsync(source, [Item($"{n}/a", source: source)], Success(T0.AddMinutes(n), itemsFound: 1), None));
        var lease = db.Store.TryLeaseAsync(new LeaseRequest { SourceId = "source-9", Holder = "holder", Now = T0, Duration = TimeSpan.FromMinutes(5) }, None);
        var results = await Bounded(Task.WhenAll(saves));

        Assert.All(results, r => Assert.Equal(1, r.New));
        Assert.True((await Bounded(lease)).Granted);
        Assert.Equal(4, await db.Store.CountItemsAsync(new ItemQuery(), None));
    }

    /// <summary>Everything a save can change, in a form records compare by value.</summary>
    private static async Task<string> SnapshotAsync(IItemStore store)
    {
        var items = await store.AllItemsAsync();
        var states = await store.GetSourceStatesAsync(None);
        return string.Join("\n", [
            $"version {await store.GetVersionAsync(None)}",
            .. items.Select(s => $"{s} {s.Item}"),
            .. states.Select(s => $"{s with { RecentFirstPageCounts = [] }} counts [{string.Join(",", s.RecentFirstPageCounts)}]"),
        ]);
    }

    /// <summary>Items that cancel the save's token as the store reaches one of them, after earlier ones were written.</summary>
    private sealed class CancellingList(IReadOnlyList<Item> items, int cancelAt, CancellationTokenSource cancellation) : IReadOnlyList<Item>
    {
        public bool CancelledAfterWrites { get; private set; }

        public int Count => items.Count;

        public Item this[int index] => items[index];

        public IEnumerator<Item> GetEnumerator()
        {
            for (var index = 0; index < items.Count; index++)
            {
                if (index == cancelAt)
                {
                    cancellation.Cancel();
                    CancelledAfterWrites = true;
                }

                yield return items[index];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

public sealed class SqliteConsistencyTests() : ConsistencyTests(StoreKind.Sqlite);

public sealed class PostgresConsistencyTests() : ConsistencyTests(StoreKind.Postgres);
