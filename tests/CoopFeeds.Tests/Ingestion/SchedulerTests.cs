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

        public static async Task<Scheduler> StartAsync(FaultSources file)
        {
            var clock = new FakeTimeProvider(Start);
            var data = Directory.CreateTempSubdirectory("coopfeeds-scheduler-").FullName;
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
