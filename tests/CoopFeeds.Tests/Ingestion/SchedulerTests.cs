using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using CoopFeeds.StorageSetup;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// The scheduler and the sources-file watcher on a fake clock: time is advanced, never slept through. Sources are saved
/// pages beside the sources file, so no network is involved and every run finishes at once.
/// </summary>
public sealed class SchedulerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // a safety net for a broken test, never a sleep
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private sealed class Scheduler : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly string _data;

        private Scheduler(IHost host, string data, FakeTimeProvider clock)
        {
            _host = host;
            _data = data;
            Clock = clock;
        }

        public FakeTimeProvider Clock { get; }
        public IngestionActivity Activity => _host.Services.GetRequiredService<IngestionActivity>();
        public SourceCatalogProvider Catalogs => _host.Services.GetRequiredService<SourceCatalogProvider>();
        public IItemStore Store => _host.Services.GetRequiredService<IItemStore>();

        /// <param name="sharing">Another scheduler whose data folder and clock this one shares, as a second instance on one store.</param>
        public static async Task<Scheduler> StartAsync(FaultSources file, Scheduler? sharing = null)
        {
            var clock = sharing?.Clock ?? new FakeTimeProvider(Start);
            var data = sharing?._data ?? Directory.CreateTempSubdirectory("coopfeeds-scheduler-").FullName;
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                Args = [.. FaultSources.FastSettings, "--Sources:ReloadInterval=00:00:05"],
                DisableDefaults = true,
            });
            builder.Logging.ClearProviders();
            builder.AddSourceCatalog(file.Path, watch: true);
            builder.AddItemStore(data);
            builder.AddIngestion(schedule: true);
            builder.Services.AddSingleton<TimeProvider>(clock);
            var host = builder.Build();
            await host.StartAsync();
            await host.Services.GetRequiredService<IngestionReadiness>().FirstPassCompleted.WaitAsync(Wait);
            return new Scheduler(host, data, clock);
        }

        /// <summary>Advances the clock and waits until the scheduler has finished <paramref name="runs"/> more runs.</summary>
        public async Task AdvanceAndAwaitRunsAsync(TimeSpan by, int runs)
        {
            var finished = Activity.WhenNextRunsCompletedAsync(runs);
            Clock.Advance(by);
            await finished.WaitAsync(Wait);
        }

        /// <summary>Nothing running or due: every scheduled source waits for a time after the clock's.</summary>
        public bool IsIdle => Activity.Running.Count == 0 && Activity.NextDue.Values.All(due => due > Clock.GetUtcNow());

        /// <summary>When the source last ran, as its run recorded it in the store.</summary>
        public async Task<DateTimeOffset?> LastRunAsync(string id) =>
            (await Store.GetSourceStateAsync(id, CancellationToken.None))?.LastRun.AttemptedAt;

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }
    }

    private static FaultSources SavedPages(params SourceSpec[] sources)
    {
        var file = FaultSources.Write(sources);
        foreach (var source in sources) file.WritePage(source.Url, FaultSite.Listing(3, first: source.Id.Length));
        return file;
    }

    [Fact]
    public async Task EachSourceRunsAgainWhenItsOwnIntervalHasPassed()
    {
        await using var file = SavedPages(new SourceSpec("hourly", "hourly.html"), new SourceSpec("two-hourly", "two.html", Interval: "02:00:00"));
        await using var scheduler = await Scheduler.StartAsync(file);
        Assert.Equal(Start, await scheduler.LastRunAsync("hourly"));
        Assert.Equal(Start, await scheduler.LastRunAsync("two-hourly"));

        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 1);
        Assert.Equal(Start.AddHours(1), await scheduler.LastRunAsync("hourly"));
        Assert.Equal(Start, await scheduler.LastRunAsync("two-hourly"));

        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 2);
        Assert.Equal(Start.AddHours(2), await scheduler.LastRunAsync("hourly"));
        Assert.Equal(Start.AddHours(2), await scheduler.LastRunAsync("two-hourly"));
        Assert.Equal(scheduler.Clock.GetUtcNow() + TimeSpan.FromHours(2), scheduler.Activity.NextDue["two-hourly"]);
    }

    [Fact]
    public async Task AFailingSourceBacksOffAndRecoveryRestoresItsInterval()
    {
        await using var file = SavedPages(new SourceSpec("flaky", "flaky.html"));
        await using var scheduler = await Scheduler.StartAsync(file);
        var page = Path.Combine(file.Folder, "flaky.html");
        var html = File.ReadAllText(page);
        File.Delete(page);

        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 1); // failure 1: next in 1 h
        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 1); // failure 2: next in 2 h
        var state = await scheduler.Store.GetSourceStateAsync("flaky", CancellationToken.None);
        Assert.Equal(SourceHealth.Failing, state!.Health);
        Assert.Equal(2, state.ConsecutiveFailures);
        Assert.Equal(state.LastRun.AttemptedAt + TimeSpan.FromHours(2), state.LastRun.NextAttemptAt);

        scheduler.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(state.LastRun.AttemptedAt, await scheduler.LastRunAsync("flaky")); // not due yet
        File.WriteAllText(page, html);
        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 1);

        state = await scheduler.Store.GetSourceStateAsync("flaky", CancellationToken.None);
        Assert.Equal(SourceHealth.Healthy, state!.Health);
        Assert.Equal(state.LastRun.AttemptedAt + TimeSpan.FromHours(1), state.LastRun.NextAttemptAt);
    }

    [Fact]
    public async Task TwoSchedulersOnOneStoreRunEachSourceOnceAndTakeOverALeaseThatExpired()
    {
        string[] ids = ["one", "two", "three", "four"];
        await using var file = SavedPages([.. ids.Select(id => new SourceSpec(id, $"{id}.html"))]);
        await using var first = await Scheduler.StartAsync(file);
        await using var second = await Scheduler.StartAsync(file, sharing: first);
        Assert.Equal(ids.Length, first.Activity.RunsCompleted + second.Activity.RunsCompleted);

        // Both wake when the sources fall due, and each source is leased to one of them.
        await AdvanceBothAsync(TimeSpan.FromHours(1), async () => await LastRunsAsync(ids) == Start.AddHours(1));
        Assert.Equal(2 * ids.Length, first.Activity.RunsCompleted + second.Activity.RunsCompleted);

        // An instance that crashed while running "one" holds its lease until it expires; the others run on time.
        var crashed = await first.Store.TryLeaseAsync(new LeaseRequest
        {
            SourceId = "one", Holder = "crashed", Now = Start.AddHours(2), Duration = TimeSpan.FromMinutes(3),
        }, CancellationToken.None);
        Assert.True(crashed.Granted);
        await AdvanceBothAsync(TimeSpan.FromHours(1), async () => await LastRunsAsync(ids[1..]) == Start.AddHours(2));
        Assert.Equal(Start.AddHours(1), await first.LastRunAsync("one"));
        Assert.Equal(3 * ids.Length - 1, first.Activity.RunsCompleted + second.Activity.RunsCompleted);

        await AdvanceBothAsync(TimeSpan.FromMinutes(3), async () => await first.LastRunAsync("one") == Start.AddHours(2).AddMinutes(3));
        Assert.Equal(3 * ids.Length, first.Activity.RunsCompleted + second.Activity.RunsCompleted);

        // The one time all of them last ran, or null when they differ.
        async Task<DateTimeOffset?> LastRunsAsync(IEnumerable<string> sources)
        {
            var times = new HashSet<DateTimeOffset?>();
            foreach (var id in sources) times.Add(await first.LastRunAsync(id));
            return times.Count == 1 ? times.Single() : null;
        }

        async Task AdvanceBothAsync(TimeSpan by, Func<Task<bool>> ran)
        {
            first.Clock.Advance(by);
            // The two schedulers share no signal: watch the store until the runs are recorded and both are idle again.
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
            var deadline = DateTime.UtcNow + Wait;
            while (!(await ran() && first.IsIdle && second.IsIdle))
            {
                Assert.True(DateTime.UtcNow < deadline, "the schedulers did not settle in time");
                await poll.WaitForNextTickAsync();
            }
        }
    }

    [Fact]
    public async Task AnEditedSourcesFileTakesEffectWithoutARestart()
    {
        await using var file = SavedPages(new SourceSpec("stays", "stays.html"), new SourceSpec("goes", "goes.html"));
        await using var scheduler = await Scheduler.StartAsync(file);
        file.WritePage("new.html", FaultSite.Listing(2, first: 50));

        file.Rewrite(new SourceSpec("stays", "stays.html", Interval: "03:00:00"), new SourceSpec("new", "new.html"));
        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromSeconds(5), 2); // "new" and the edited "stays" run at once

        var reloadedAt = Start.AddSeconds(5);
        Assert.Equal(["new", "stays"], scheduler.Catalogs.Current.Sources.Select(s => s.Id).Order());
        Assert.Equal(reloadedAt, await scheduler.LastRunAsync("new"));
        Assert.Equal(reloadedAt, await scheduler.LastRunAsync("stays"));
        Assert.False(scheduler.Activity.NextDue.ContainsKey("goes"));
        Assert.Equal(scheduler.Clock.GetUtcNow() + TimeSpan.FromHours(3), scheduler.Activity.NextDue["stays"]);
        // A removed source is no longer fetched, and its items stay published.
        Assert.Equal(3, (await scheduler.Store.GetSourceStateAsync("goes", CancellationToken.None))!.StoredItemCount);

        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 1);
        Assert.Equal(Start, await scheduler.LastRunAsync("goes"));
        Assert.Equal(reloadedAt.AddHours(1), await scheduler.LastRunAsync("new"));
    }

    [Fact]
    public async Task ABrokenEditIsRejectedAndThePreviousSourcesStay()
    {
        await using var file = SavedPages(new SourceSpec("only", "only.html"));
        await using var scheduler = await Scheduler.StartAsync(file);
        var before = scheduler.Catalogs.Current;
        var watcher = scheduler.Catalogs; // the provider keeps the catalog in force

        File.WriteAllText(file.Path, "{ \"Sections\": [], \"Sources\": [ { \"Id\": \"x\" } ] }");
        var result = watcher.Reload();

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Problems);
        Assert.Same(before, scheduler.Catalogs.Current);
        await scheduler.AdvanceAndAwaitRunsAsync(TimeSpan.FromHours(1), 1);
        Assert.Equal(Start.AddHours(1), await scheduler.LastRunAsync("only"));
    }

    [Fact]
    public async Task TheWatcherReloadsOnlyWhenTheContentChanges()
    {
        await using var file = SavedPages(new SourceSpec("only", "only.html"));
        var clock = new FakeTimeProvider();
        var provider = SourceCatalogProvider.Load(file.Path, TimeSpan.FromMinutes(1));
        var watcher = new SourceCatalogWatcher(provider, Microsoft.Extensions.Options.Options.Create(new SourcesOptions()), clock,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SourceCatalogWatcher>.Instance);
        Assert.True(watcher.CheckOnce()); // the first look reads the file as new
        var token = provider.ChangeToken;

        Assert.False(watcher.CheckOnce());
        File.WriteAllText(file.Path, "not json");
        Assert.False(watcher.CheckOnce());
        Assert.False(token.IsCancellationRequested);
        file.Rewrite(new SourceSpec("only", "only.html", Interval: "02:00:00"));
        Assert.True(watcher.CheckOnce());

        Assert.True(token.IsCancellationRequested);
        Assert.Equal(TimeSpan.FromHours(2), provider.Current.Sources.Single().Definition.Interval);
    }
}
