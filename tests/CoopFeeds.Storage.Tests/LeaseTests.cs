using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// Leases: of several holders (instances, or <c>serve</c> and <c>ingest</c>) on one database, one runs a source at a time,
/// and any of them may take a source over once the holder's lease expires.
/// </summary>
public abstract class LeaseTests(StoreKind kind) : StoreContract(kind)
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(3);

    private static LeaseRequest Ask(string holder, DateTimeOffset now, LeaseCondition condition = LeaseCondition.WhenDue, string sourceId = "ilo-coop-news") =>
        new() { SourceId = sourceId, Holder = holder, Now = now, Duration = Duration, Condition = condition };

    private static SourceRun Under(string holder) => News with { LeaseHolder = holder };

    [SkippableFact]
    public async Task TwoHoldersNeverHoldOneSourceAtOnce()
    {
        await using var db = await CreateDatabaseAsync();

        var first = await db.Store.TryLeaseAsync(Ask("a", T0), None);
        var second = await db.OpenStore().TryLeaseAsync(Ask("b", T0.AddMinutes(1), LeaseCondition.Always), None);

        Assert.Equal(new LeaseResult(LeaseAnswer.Granted, T0 + Duration, "a"), first);
        Assert.Equal(new LeaseResult(LeaseAnswer.HeldByAnother, T0 + Duration, "a"), second);
        // The holder asking again keeps it, for as long again.
        Assert.Equal(new LeaseResult(LeaseAnswer.Granted, T0.AddMinutes(2) + Duration, "a"), await db.Store.TryLeaseAsync(Ask("a", T0.AddMinutes(2)), None));
    }

    [SkippableFact]
    public async Task AnExpiredLeaseIsHandedOverAndItsFormerHolderCanNeitherRenewNorSave()
    {
        await using var db = await CreateDatabaseAsync();
        var other = db.OpenStore();
        await db.Store.TryLeaseAsync(Ask("crashed", T0), None);

        var takeover = await other.TryLeaseAsync(Ask("b", T0 + Duration), None);

        Assert.True(takeover.Granted);
        Assert.False(await db.Store.RenewLeaseAsync(News.SourceId, "crashed", T0.AddMinutes(10), None));
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Store.SaveAsync(Under("crashed"), [Item("a")], Success(T0), None));
        Assert.Null(await db.Store.GetSourceStateAsync(News.SourceId, None));
        Assert.Empty(await db.Store.AllItemsAsync());

        await other.SaveAsync(Under("b"), [Item("a")], Success(T0 + Duration), None);
        Assert.Single(await db.Store.AllItemsAsync());
    }

    [SkippableFact]
    public async Task RenewalExtendsTheLease()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.TryLeaseAsync(Ask("a", T0), None);

        Assert.True(await db.Store.RenewLeaseAsync(News.SourceId, "a", T0.AddMinutes(6), None));

        Assert.Equal(new LeaseResult(LeaseAnswer.HeldByAnother, T0.AddMinutes(6), "a"), await db.OpenStore().TryLeaseAsync(Ask("b", T0.AddMinutes(4)), None));
        Assert.True((await db.OpenStore().TryLeaseAsync(Ask("b", T0.AddMinutes(6)), None)).Granted);
        Assert.False(await db.Store.RenewLeaseAsync("never-leased", "a", T0.AddMinutes(9), None));
    }

    [SkippableFact]
    public async Task ASaveReleasesTheLeaseAndTheSourceIsDueAgainAtItsStoredNextAttempt()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.TryLeaseAsync(Ask("a", T0), None);

        await db.Store.SaveAsync(Under("a"), [Item("a")], Success(T0), None);

        var other = db.OpenStore();
        Assert.Equal(new LeaseResult(LeaseAnswer.NotDue, T0.AddHours(1)), await other.TryLeaseAsync(Ask("b", T0.AddMinutes(1)), None));
        Assert.True((await other.TryLeaseAsync(Ask("b", T0.AddHours(1)), None)).Granted);
        // A save outside any lease neither needs nor touches one.
        await db.Store.SaveAsync(News, [], Success(T0.AddHours(1)), None);
        Assert.Equal(LeaseAnswer.HeldByAnother, (await db.Store.TryLeaseAsync(Ask("a", T0.AddHours(1), LeaseCondition.Always), None)).Answer);
    }

    [SkippableFact]
    public async Task AReleasedLeaseOfARunThatSavedNothingIsFreeAtOnce()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.TryLeaseAsync(Ask("a", T0), None);

        await db.OpenStore().ReleaseLeaseAsync(News.SourceId, "b", None); // not b's to release
        Assert.Equal(LeaseAnswer.HeldByAnother, (await db.OpenStore().TryLeaseAsync(Ask("b", T0), None)).Answer);
        await db.Store.ReleaseLeaseAsync(News.SourceId, "a", None);

        Assert.True((await db.OpenStore().TryLeaseAsync(Ask("b", T0), None)).Granted);
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Store.SaveAsync(Under("a"), [], Success(T0), None));
    }

    [SkippableFact]
    public async Task AnEditedDefinitionIsDueUntilARunWithItHasBeenSaved()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.TryLeaseAsync(Ask("a", T0), None);
        await db.Store.SaveAsync(Under("a"), [], Success(T0) with { DefinitionFingerprint = "f1" }, None);
        var soon = T0.AddMinutes(1);

        Assert.Equal(LeaseAnswer.NotDue, (await db.Store.TryLeaseAsync(Ask("b", soon, LeaseCondition.WhenDueOrEdited) with { Fingerprint = "f1" }, None)).Answer);
        var edited = await db.Store.TryLeaseAsync(Ask("b", soon, LeaseCondition.WhenDueOrEdited) with { Fingerprint = "f2" }, None);
        Assert.True(edited.Granted);
        await db.Store.SaveAsync(Under("b"), [], Failure(soon) with { DefinitionFingerprint = "f2" }, None);

        // The edit ran (and failed): another instance that reloads the same file does not run it again.
        var again = await db.OpenStore().TryLeaseAsync(Ask("c", soon.AddSeconds(5), LeaseCondition.WhenDueOrEdited) with { Fingerprint = "f2" }, None);
        Assert.Equal(new LeaseResult(LeaseAnswer.NotDue, soon.AddHours(2)), again);
        Assert.Equal(LeaseAnswer.NotDue, (await db.Store.TryLeaseAsync(Ask("c", soon.AddSeconds(5)), None)).Answer);
        Assert.True((await db.Store.TryLeaseAsync(Ask("c", soon.AddSeconds(5), LeaseCondition.Always), None)).Granted);
    }

    [SkippableFact]
    public async Task HoldersRacingFromTwoStoresGetEachSourceOnce()
    {
        await using var db = await CreateDatabaseAsync();
        IItemStore[] stores = [db.Store, db.OpenStore()];
        var sources = Enumerable.Range(1, 40).Select(n => $"source-{n}").ToList();
        var holders = Enumerable.Range(1, 6).Select(n => (Holder: $"holder-{n}", Store: stores[n % 2])).ToList();
        foreach (var source in sources)
        {
            // Each lease row exists and is free, as after a first run: the race is on the row, not on inserting it.
            await db.Store.TryLeaseAsync(Ask("first", T0, sourceId: source), None);
            await db.Store.ReleaseLeaseAsync(source, "first", None);
        }


        // Every holder asks for each source at the same moment, as instances waking at the same due time do: held at a gate,
        // then let go together (a connection each, few enough for any server's limit).
        var answers = new List<(string Source, string Holder, LeaseResult Result)>();
        foreach (var source in sources)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var asking = holders.Select(h => Task.Run(async () =>
            {
                await gate.Task;
                return (Source: source, h.Holder, Result: await h.Store.TryLeaseAsync(Ask(h.Holder, T0, sourceId: source), None));
            })).ToList();
            gate.SetResult();
            answers.AddRange(await Task.WhenAll(asking));
        }

        foreach (var source in sources)
        {
            var granted = answers.Where(a => a.Source == source && a.Result.Granted).ToList();
            var holder = Assert.Single(granted).Holder;
            Assert.All(answers.Where(a => a.Source == source && !a.Result.Granted),
                a => Assert.True(a.Result.Answer == LeaseAnswer.Busy || a.Result.HeldBy == holder, $"{a.Holder} was told {a.Result}"));
            Assert.Equal(LeaseAnswer.HeldByAnother, (await db.Store.TryLeaseAsync(Ask("late", T0.AddMinutes(1), sourceId: source), None)).Answer);
        }
    }
}

public sealed class SqliteLeaseTests() : LeaseTests(StoreKind.Sqlite);

public sealed class PostgresLeaseTests() : LeaseTests(StoreKind.Postgres);
