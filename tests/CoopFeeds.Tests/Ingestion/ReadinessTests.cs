using System.Net;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Storage;
using CoopFeeds.Storage.Sqlite;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>/readyz never waits on someone else's site: a hanging one holds neither a restart nor a fresh start for long.</summary>
public sealed class ReadinessTests
{
    /// <summary>Long enough that the hang is still going when the test asks; it ends when the host stops.</summary>
    private const string SlowTimeout = "--Ingestion:RequestTimeout=00:00:30";

    [Fact]
    public async Task ARestartWithEverySourceStoredIsReadyWhileASourceSiteHangs()
    {
        await using var site = await FaultSite.StartAsync();
        var arrived = HangAndSignal(site, "/news");
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        var data = Directory.CreateTempSubdirectory("coopfeeds-test-").FullName;
        var store = SqliteItemStore.ForFile(Path.Combine(data, "coopfeeds.db"));
        await store.MigrateAsync(CancellationToken.None);
        var before = DateTimeOffset.UtcNow.AddHours(-2);
        await store.SaveAsync(new SourceRun("news", "faults"), [],
            new IngestOutcome { Fetch = new() { Kind = OutcomeKind.Success }, AttemptedAt = before, NextAttemptAt = before.AddHours(1) }, CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        await using var host = await ServiceHost.StartAsync(clock: null, file.Path, data, r => r.Ready, [.. FaultSources.FastSettings, SlowTimeout]);
        await arrived.WaitAsync(TimeSpan.FromSeconds(30)); // the source is due, and its site is not answering

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("readyz")).StatusCode);
        Assert.False(host.Services.GetRequiredService<CoopFeeds.Telemetry.IngestionReadiness>().FirstPassCompleted.IsCompleted);
    }

    [Fact]
    public async Task AFreshStartHeldUpByAHangingSiteIsReadyAfterTheReadyTimeout()
    {
        await using var site = await FaultSite.StartAsync();
        var arrived = HangAndSignal(site, "/news");
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        var data = Directory.CreateTempSubdirectory("coopfeeds-test-").FullName;

        await using var host = await ServiceHost.StartAsync(
            clock: null, file.Path, data, r => r.Ready, [.. FaultSources.FastSettings, SlowTimeout, "--Ingestion:ReadyTimeout=00:00:00.5"]);
        await arrived.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("readyz")).StatusCode);
        Assert.False(host.Services.GetRequiredService<CoopFeeds.Telemetry.IngestionReadiness>().FirstPassCompleted.IsCompleted);
    }

    [Fact]
    public async Task AnInstanceIsReadyOnceEverySourceHasAStoredStateWhicheverInstanceStoredIt()
    {
        await using var site = await FaultSite.StartAsync();
        var arrived = HangAndSignal(site, "/news");
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        var data = Directory.CreateTempSubdirectory("coopfeeds-test-").FullName;

        await using var host = await ServiceHost.StartAsync(clock: null, file.Path, data, _ => arrived, [.. FaultSources.FastSettings, SlowTimeout]);
        var starting = await host.Client.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        Assert.Contains("1 enabled sources have no stored state", await starting.Content.ReadAsStringAsync());

        // Another instance on the same store records a run of the source while this one's request still hangs.
        var other = SqliteItemStore.ForFile(Path.Combine(data, "coopfeeds.db"));
        var now = DateTimeOffset.UtcNow;
        await other.SaveAsync(new SourceRun("news", "faults"), [],
            new IngestOutcome { Fetch = new() { Kind = OutcomeKind.ServerError, StatusCode = 503 }, AttemptedAt = now, NextAttemptAt = now.AddHours(1) }, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("readyz")).StatusCode);
        Assert.False(host.Services.GetRequiredService<CoopFeeds.Telemetry.IngestionReadiness>().FirstPassCompleted.IsCompleted);
    }

    private static Task HangAndSignal(FaultSite site, string path)
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        site.Serve(path, site.Hang(onArrival: () => arrived.TrySetResult()));
        return arrived.Task;
    }
}
