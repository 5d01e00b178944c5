using CoopFeeds.Core.Outcomes;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class SourceStateChangeTests(StoreKind kind) : StoreContract(kind)
{

    private static IngestOutcome Degraded(DateTimeOffset at) => new()
    {
        Fetch = new() { Kind = OutcomeKind.Success, StatusCode = 200 },
        AttemptedAt = at,
        Drift = "Selectors.Item 'article' matched 0 items",
    };

    [SkippableFact]
    public async Task AHealthyFirstRunAndRepeatedRunsInOneStateRecordNoChange()
    {
        await using var db = await CreateDatabaseAsync();

        await db.Store.SaveAsync(News, [Item("a")], Success(T0, 1, 1), None);
        await db.Store.SaveAsync(News, [Item("a")], Success(T0.AddHours(1), 1, 1), None);

        Assert.Empty(await db.Store.GetSourceStateChangesAsync(null, 100, None));
    }

    [SkippableFact]
    public async Task FailingDegradedAndRecoveredAreEachRecordedOnceNewestFirst()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0, 1, 1), None);

        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(1)), None);
        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(2), OutcomeKind.Timeout, null), None);
        await db.Store.SaveAsync(News, [], Degraded(T0.AddHours(3)), None);
        await db.Store.SaveAsync(News, [Item("a")], Success(T0.AddHours(4), 1, 1), None);

        var changes = await db.Store.GetSourceStateChangesAsync(null, 100, None);
        Assert.Equal(
            [(SourceHealth.Degraded, SourceHealth.Healthy), (SourceHealth.Failing, SourceHealth.Degraded), (SourceHealth.Healthy, SourceHealth.Failing)],
            changes.Select(c => (c.From!.Value, c.To)));
        Assert.Equal(changes.Select(c => c.Sequence).OrderDescending(), changes.Select(c => c.Sequence));
        var failing = changes[2];
        Assert.Equal(News.SourceId, failing.SourceId);
        Assert.Equal("news", failing.Section);
        Assert.Equal(T0.AddHours(1), failing.ChangedAt);
        Assert.Equal(OutcomeKind.ServerError, failing.Outcome);
        Assert.Equal(503, failing.HttpStatus);
        Assert.Equal("ServerError from the site", failing.Detail);
        Assert.Equal(OutcomeKind.Degraded, changes[1].Outcome);
        Assert.Equal(200, changes[1].HttpStatus);
        Assert.Equal("Selectors.Item 'article' matched 0 items", changes[1].Detail);
        Assert.True(changes[0].IsRecovery);
        Assert.False(changes[1].IsRecovery);
    }

    [SkippableFact]
    public async Task AFirstRunThatFailsIsAChangeFromNothing()
    {
        await using var db = await CreateDatabaseAsync();

        await db.Store.SaveAsync(News, [], Failure(T0), None);

        var change = Assert.Single(await db.Store.GetSourceStateChangesAsync(News.SourceId, 10, None));
        Assert.Null(change.From);
        Assert.Equal(SourceHealth.Failing, change.To);
        Assert.False(change.IsRecovery);
    }

    [SkippableFact]
    public async Task ChangesCanBeReadForOneSourceAndLimited()
    {
        await using var db = await CreateDatabaseAsync();
        var other = new SourceRun("other", "news");
        await db.Store.SaveAsync(News, [], Failure(T0), None);
        await db.Store.SaveAsync(other, [], Failure(T0), None);
        await db.Store.SaveAsync(News, [Item("a")], Success(T0.AddHours(1), 1, 1), None);
        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(2)), None);

        Assert.Equal(3, (await db.Store.GetSourceStateChangesAsync(News.SourceId, 10, None)).Count);
        Assert.Equal("other", Assert.Single(await db.Store.GetSourceStateChangesAsync("other", 10, None)).SourceId);
        var newest = Assert.Single(await db.Store.GetSourceStateChangesAsync(null, 1, None));
        Assert.Equal(T0.AddHours(2), newest.ChangedAt);
    }

    [SkippableFact]
    public async Task ARunThatRollsBackRecordsNoChange()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0, 1, 1), None);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.Store.SaveAsync(News, [], Failure(T0.AddHours(1)), cancelled.Token));

        Assert.Empty(await db.Store.GetSourceStateChangesAsync(null, 10, None));
        Assert.Equal(SourceHealth.Healthy, (await db.Store.GetSourceStateAsync(News.SourceId, None))!.Health);
    }
}

public sealed class SqliteSourceStateChangeTests() : SourceStateChangeTests(StoreKind.Sqlite);

public sealed class PostgresSourceStateChangeTests() : SourceStateChangeTests(StoreKind.Postgres);
