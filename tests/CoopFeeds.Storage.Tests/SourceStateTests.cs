using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CoopFeeds.Core.Outcomes;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class SourceStateTests(StoreKind kind) : StoreContract(kind)
{

    [SkippableFact]
    public async Task ASuccessfulRunIsRecordedWithItsCounts()
    {
        await using var db = await CreateDatabaseAsync();

        await db.Store.SaveAsync(News, [Item("a"), Item("b")],
            Success(T0, itemsFound: 2, firstPageCount: 2, etag: "\"v1\"", lastModified: "Sat, 01 Mar 2025 09:00:00 GMT"), None);

        var state = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.NotNull(state);
        Assert.Equal(News.SourceId, state.SourceId);
        Assert.Equal("news", state.Section);
        Assert.Equal(SourceHealth.Healthy, state.Health);
        Assert.Equal(T0, state.LastRun.AttemptedAt);
        Assert.Equal(T0, state.LastSuccessAt);
        Assert.Equal(OutcomeKind.Success, state.LastRun.Kind);
        Assert.Equal(200, state.LastRun.Fetch.StatusCode);
        Assert.Null(state.LastRun.Error);
        Assert.Equal(0, state.ConsecutiveFailures);
        Assert.Equal(2, state.LastRun.ItemsFound);
        Assert.Equal(2, state.ItemsNew);
        Assert.Equal(0, state.ItemsUpdated);
        Assert.Equal(new ConditionalValidators("\"v1\"", "Sat, 01 Mar 2025 09:00:00 GMT"), state.Validators);
        Assert.Equal(T0.AddHours(1), state.LastRun.NextAttemptAt);
        Assert.Equal([2], state.RecentFirstPageCounts);
        Assert.Equal(2, state.StoredItemCount);
        Assert.Null(await db.Store.GetSourceStateAsync("never-ran", None));
    }

    [SkippableFact]
    public async Task AFailedRunKeepsTheItemsAndCountsFailuresUntilASuccess()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0, itemsFound: 2), None);
        var version = await db.Store.GetVersionAsync(None);

        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(1)), None);
        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(2), OutcomeKind.Timeout, status: null), None);

        var failing = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.NotNull(failing);
        Assert.Equal(SourceHealth.Failing, failing.Health);
        Assert.Equal(2, failing.ConsecutiveFailures);
        Assert.Equal(OutcomeKind.Timeout, failing.LastRun.Kind);
        Assert.Equal("Timeout from the site", failing.LastRun.Error);
        Assert.Null(failing.LastRun.Fetch.StatusCode);
        Assert.Equal(T0.AddHours(2), failing.LastRun.AttemptedAt);
        Assert.Equal(T0, failing.LastSuccessAt);
        Assert.Equal(T0.AddHours(4), failing.LastRun.NextAttemptAt);
        Assert.Equal(0, failing.LastRun.ItemsFound);
        Assert.Equal(2, failing.StoredItemCount);
        Assert.Equal(2, (await db.Store.AllItemsAsync()).Count);
        Assert.Equal(version, await db.Store.GetVersionAsync(None));

        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0.AddHours(3), itemsFound: 2), None);

        var recovered = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.NotNull(recovered);
        Assert.Equal(SourceHealth.Healthy, recovered.Health);
        Assert.Equal(0, recovered.ConsecutiveFailures);
        Assert.Null(recovered.LastRun.Error);
        Assert.Equal(T0.AddHours(3), recovered.LastSuccessAt);
    }

    [SkippableFact]
    public async Task NotModifiedKeepsTheValidatorsAndANewOneReplacesThem()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0, etag: "\"v1\"", lastModified: "Sat, 01 Mar 2025 09:00:00 GMT"), None);

        await db.Store.SaveAsync(News, [], new IngestOutcome
        {
            Fetch = new() { Kind = OutcomeKind.NotModified, StatusCode = 304, Detail = "not modified since the last good fetch" },
            AttemptedAt = T0.AddHours(1),
        }, None);

        var notModified = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.NotNull(notModified);
        Assert.Equal(new ConditionalValidators("\"v1\"", "Sat, 01 Mar 2025 09:00:00 GMT"), notModified.Validators);
        Assert.Equal(SourceHealth.Healthy, notModified.Health);
        Assert.Equal(OutcomeKind.NotModified, notModified.LastRun.Kind);
        Assert.Null(notModified.LastRun.Error);
        Assert.Equal(T0.AddHours(1), notModified.LastSuccessAt);
        Assert.Equal(1, notModified.StoredItemCount);

        await db.Store.SaveAsync(News, [Item("a")], Success(T0.AddHours(2), etag: "\"v2\""), None);

        var changed = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.Equal("\"v2\"", changed?.Validators.ETag);
    }

    [SkippableFact]
    public async Task ADegradedRunKeepsItemsAndDoesNotBecomeTheBaseline()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a"), Item("b"), Item("c")], Success(T0, itemsFound: 3, firstPageCount: 3, etag: "\"v1\""), None);

        var degraded = Success(T0.AddHours(1), itemsFound: 1, firstPageCount: 1, etag: "\"v2\"") with
        {
            Drift = "1 item on the first page, usually 3",
        };
        var result = await db.Store.SaveAsync(News, [Item("d")], degraded, None);

        Assert.Equal(new SaveResult(1, 0, 0), result);
        var state = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.NotNull(state);
        Assert.Equal(SourceHealth.Degraded, state.Health);
        Assert.Equal(OutcomeKind.Degraded, state.LastRun.Kind);
        Assert.Equal(OutcomeKind.Success, state.LastRun.Fetch.Kind);
        Assert.Equal(200, state.LastRun.Fetch.StatusCode);
        Assert.Equal("1 item on the first page, usually 3", state.LastRun.Error);
        Assert.Equal([3], state.RecentFirstPageCounts);
        Assert.Equal(T0, state.LastSuccessAt);
        // Keeping the degraded page's ETag would let a 304 mark the drifted source healthy.
        Assert.Equal("\"v1\"", state.Validators.ETag);
        Assert.Equal(4, state.StoredItemCount);
    }

    [SkippableFact]
    public async Task OnlyTheLastTenFirstPageCountsAreKept()
    {
        await using var db = await CreateDatabaseAsync();
        for (var run = 1; run <= 12; run++)
        {
            await db.Store.SaveAsync(News, [], Success(T0.AddHours(run), firstPageCount: run), None);
        }

        await db.Store.SaveAsync(News, [], Success(T0.AddHours(13)), None);

        var state = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10, 11, 12], state?.RecentFirstPageCounts);
    }

    [SkippableFact]
    public async Task TheFirstPageCountsColumnHoldsTheJsonReflectionWrote()
    {
        await using var db = await CreateDatabaseAsync();
        for (var run = 1; run <= 3; run++)
        {
            await db.Store.SaveAsync(News, [], Success(T0.AddHours(run), firstPageCount: run * 10), None);
        }

        var column = await db.QueryAsync("SELECT recent_first_page_counts FROM source_state");

        // The generated contract must write what reflection with the default options did: rows written before read alike.
        var byReflection = JsonSerializer.Serialize(new[] { 10, 20, 30 }, new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() });
        Assert.Equal([byReflection], column);
        Assert.Equal("[10,20,30]", byReflection);
        Assert.Equal([10, 20, 30], (await db.Store.GetSourceStateAsync(News.SourceId, None))?.RecentFirstPageCounts);
    }

    [SkippableFact]
    public async Task AnEditedDefinitionStartsANewBaselineOnlyOnceAGoodRunHasReadThePageWithIt()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [], Success(T0, firstPageCount: 10) with { DefinitionFingerprint = "old" }, None);
        await db.Store.SaveAsync(News, [], Success(T0.AddHours(1), firstPageCount: 9) with { DefinitionFingerprint = "old" }, None);

        await db.Store.SaveAsync(News, [], Failure(T0.AddHours(2)) with { DefinitionFingerprint = "new" }, None);
        await db.Store.SaveAsync(News, [], new IngestOutcome
        {
            Fetch = new() { Kind = OutcomeKind.Success }, Drift = "the page gave no items", AttemptedAt = T0.AddHours(3),
            FirstPageItemCount = 0, DefinitionFingerprint = "new",
        }, None);

        // Neither run read a good page with the new definition: the next one must still be unconditional.
        var unread = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.Equal("old", unread?.DefinitionFingerprint);
        Assert.Equal([10, 9], unread?.RecentFirstPageCounts);

        await db.Store.SaveAsync(News, [], Success(T0.AddHours(4), firstPageCount: 4) with { DefinitionFingerprint = "new" }, None);

        var read = await db.Store.GetSourceStateAsync(News.SourceId, None);
        Assert.Equal("new", read?.DefinitionFingerprint);
        Assert.Equal([4], read?.RecentFirstPageCounts);
        Assert.Equal(SourceHealth.Healthy, read?.Health);
    }

    [SkippableFact]
    public async Task EverySourceThatRanIsListedInIdOrder()
    {
        await using var db = await CreateDatabaseAsync();
        var events = new SourceRun("coop-events", "events");
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), None);
        await db.Store.SaveAsync(events, [Item("x", source: events), Item("y", source: events)], Success(T0), None);

        var states = await db.Store.GetSourceStatesAsync(None);

        Assert.Equal(["coop-events", "ilo-coop-news"], states.Select(s => s.SourceId));
        Assert.Equal([2, 1], states.Select(s => s.StoredItemCount));
    }
}

public sealed class SqliteSourceStateTests() : SourceStateTests(StoreKind.Sqlite);

public sealed class PostgresSourceStateTests() : SourceStateTests(StoreKind.Postgres);
