using System.Data.Common;
using CoopFeeds.Storage.Postgres;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// PostgreSQL tells listeners of every committed write (LISTEN/NOTIFY), so that other processes on the database learn of it
/// at once. Each listener here is on a store object of its own, as another process's would be; waits are on the
/// notifications themselves, with a timeout only as a safety net.
/// </summary>
public sealed class PostgresNotificationTests
{
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task ASaveThroughOneStoreWakesAListenerOnAnotherWithTheVersionAfterIt()
    {
        using var timeout = new CancellationTokenSource(SafetyNet);
        await using var db = await MigratedDatabaseAsync();
        await using var listener = await ((PostgresItemStore)db.OpenStore()).ListenAsync(timeout.Token);

        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0), CancellationToken.None);

        Assert.Equal(await db.Store.GetVersionAsync(CancellationToken.None), await listener.NextAsync(timeout.Token));
    }

    [SkippableFact]
    public async Task EveryWriteNotifiesAPurgeAndARunThatChangedNoItem()
    {
        using var timeout = new CancellationTokenSource(SafetyNet);
        await using var db = await MigratedDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), CancellationToken.None);
        var saved = await db.Store.GetVersionAsync(CancellationToken.None);
        await using var listener = await ((PostgresItemStore)db.OpenStore()).ListenAsync(timeout.Token);

        // A failed run keeps every item (the version stays) but changes the source's state, which status pages show.
        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(1)), CancellationToken.None);
        var afterFailure = await listener.NextAsync(timeout.Token);
        await db.Store.PurgeAsync(News.SourceId, since: null, CancellationToken.None);
        var afterPurge = await listener.NextAsync(timeout.Token);

        Assert.Equal(saved, afterFailure);
        Assert.True(afterPurge > saved);
        Assert.Equal(await db.Store.GetVersionAsync(CancellationToken.None), afterPurge);
    }

    [SkippableFact]
    public async Task ADroppedConnectionEndsTheListenerWithADbExceptionAndANewListenerHearsTheNextWrite()
    {
        using var timeout = new CancellationTokenSource(SafetyNet);
        await using var db = await MigratedDatabaseAsync();
        var store = (PostgresItemStore)db.OpenStore();
        await using var dropped = await store.ListenAsync(timeout.Token);

        var terminated = await db.QueryAsync($"""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = '{PostgresStoreListener.ApplicationName}';
            """);

        Assert.Equal(["True"], terminated);
        await Assert.ThrowsAnyAsync<DbException>(() => dropped.NextAsync(timeout.Token));
        await using var listener = await store.ListenAsync(timeout.Token);
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), CancellationToken.None);
        Assert.Equal(await db.Store.GetVersionAsync(CancellationToken.None), await listener.NextAsync(timeout.Token));
    }

    [SkippableFact]
    public async Task WaitingEndsWithTheCancellationNotWithAConnectionError()
    {
        await using var db = await MigratedDatabaseAsync();
        await using var listener = await ((PostgresItemStore)db.OpenStore()).ListenAsync(CancellationToken.None);
        using var stopping = new CancellationTokenSource();

        var waiting = listener.NextAsync(stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    private static async Task<PostgresTestDatabase> MigratedDatabaseAsync()
    {
        var db = await PostgresTestDatabase.CreateAsync();
        await db.Store.MigrateAsync(CancellationToken.None);
        return db;
    }
}
