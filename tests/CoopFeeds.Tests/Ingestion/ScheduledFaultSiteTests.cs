using System.Net;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Ingestion;
using CoopFeeds.Storage;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// The whole service on a fake clock against a <see cref="FaultSite"/>: the test never starts a run, it only advances the
/// clock an interval at a time, so every fetch is one the scheduler made due. Each due run is awaited on
/// <see cref="IngestionActivity.WhenNextRunsCompletedAsync"/>, never slept through, and checked in what it stored.
/// </summary>
public sealed class ScheduledFaultSiteTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(4);

    [Fact]
    public async Task AServerErrorIsRetriedOnTheCappedBackoffAndRecoveryRestoresTheInterval()
    {
        await using var timeline = await Timeline.StartAsync(FaultSite.Html(FaultSite.Listing(3), etag: "\"p3\""));

        timeline.Answer(500);
        var waits = new List<TimeSpan>();
        for (var failure = 1; failure <= 5; failure++)
        {
            var run = await timeline.AdvanceToNextRunAsync();
            Assert.Equal(OutcomeKind.ServerError, run.LastRun.Kind);
            Assert.Equal(failure, timeline.ConsecutiveFailures);
            waits.Add(run.LastRun.NextAttemptAt!.Value - run.LastRun.AttemptedAt);
        }
        // Retried on time once, then each wait doubles until Ingestion:MaxBackoff holds it.
        Assert.Equal(new[] { Interval, Interval * 2, MaxBackoff, MaxBackoff, MaxBackoff }, waits);

        timeline.Answer(FaultSite.Html(FaultSite.Listing(5), etag: "\"p5\""));
        var recovered = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(OutcomeKind.Success, recovered.LastRun.Kind);
        Assert.Equal(2, recovered.ItemsNew);

        var unchanged = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(OutcomeKind.NotModified, unchanged.LastRun.Kind);
        timeline.Answer(FaultSite.Html(FaultSite.Listing(6), etag: "\"p6\""));
        var newer = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(1, newer.ItemsNew);
        Assert.Equal(recovered.LastRun.AttemptedAt + 2 * Interval, newer.LastRun.AttemptedAt);
        Assert.Equal(6, (await timeline.Host.FeedItemsAsync()).Count);
    }

    [Fact]
    public async Task ARetryAfterFrom429Or503PutsTheNextAttemptNoSoonerThanTheSiteAsked()
    {
        await using var timeline = await Timeline.StartAsync(FaultSite.Html(FaultSite.Listing(4), etag: "\"p4\""));

        // Longer than the backoff: the site's wish sets the next attempt.
        var asked = TimeSpan.FromHours(3);
        timeline.Answer(429, retryAfter: asked);
        var throttled = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(OutcomeKind.TooManyRequests, throttled.LastRun.Kind);
        Assert.Equal(throttled.LastRun.AttemptedAt + asked, throttled.LastRun.NextAttemptAt);

        asked = TimeSpan.FromHours(5);
        timeline.Answer(503, retryAfter: asked);
        var unavailable = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(OutcomeKind.ServerError, unavailable.LastRun.Kind);
        Assert.Equal(throttled.LastRun.NextAttemptAt, unavailable.LastRun.AttemptedAt);
        Assert.Equal(unavailable.LastRun.AttemptedAt + asked, unavailable.LastRun.NextAttemptAt);

        // Shorter than the backoff (third failure in a row): "no sooner than", so the backoff stands.
        timeline.Answer(503, retryAfter: TimeSpan.FromMinutes(1));
        var briefly = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(3, timeline.ConsecutiveFailures);
        Assert.Equal(briefly.LastRun.AttemptedAt + MaxBackoff, briefly.LastRun.NextAttemptAt);

        timeline.Answer(FaultSite.Html(FaultSite.Listing(5), etag: "\"p5\""));
        var recovered = await timeline.AdvanceToNextRunAsync();
        Assert.Equal(OutcomeKind.Success, recovered.LastRun.Kind);
        Assert.Equal(recovered.LastRun.AttemptedAt + Interval, recovered.LastRun.NextAttemptAt);
        Assert.Equal(OutcomeKind.NotModified, (await timeline.AdvanceToNextRunAsync()).LastRun.Kind);
        Assert.Equal(5, (await timeline.Host.FeedItemsAsync()).Count);
    }

    /// <summary>
    /// One source on the fault site's <c>/news</c>, the service on a fake clock, and what the test expects of both: how many
    /// runs there have been, the consecutive failures, the next due time (derived with <see cref="IngestionSchedule"/> from
    /// the outcomes the test scripted), and every item the feed has published.
    /// </summary>
    private sealed class Timeline : IAsyncDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // a safety net for a broken test, never a sleep

        private readonly FaultSources _file;
        private readonly HashSet<string> _published = new(StringComparer.Ordinal);
        private long _runs;
        private DateTimeOffset _nextDue;
        private TimeSpan? _retryAfter;

        private Timeline(FaultSite site, FaultSources file, ServiceHost host, FakeTimeProvider clock)
        {
            Site = site;
            _file = file;
            Host = host;
            Clock = clock;
        }

        private FaultSite Site { get; }
        public ServiceHost Host { get; }
        public FakeTimeProvider Clock { get; }
        public int ConsecutiveFailures { get; private set; }
        private IngestionActivity Activity => Host.Services.GetRequiredService<IngestionActivity>();
        private IItemStore Store => Host.Services.GetRequiredService<IItemStore>();

        /// <summary>Starts the service with the site answering <paramref name="firstAnswer"/>, and checks its first run (at start).</summary>
        public static async Task<Timeline> StartAsync(SiteAnswer firstAnswer)
        {
            var site = await FaultSite.StartAsync();
            site.Serve("/news", firstAnswer);
            var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")) with { Interval = Interval.ToString("c") });
            var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero));
            // One request per run (no retries inside a fetch), so the site's count is the scheduler's count of runs.
            var host = await ServiceHost.StartWithClockAsync(clock, file.Path,
                [.. FaultSources.FastSettings, "--Ingestion:MaxRetries=0", $"--Ingestion:MaxBackoff={MaxBackoff:c}"]);
            var timeline = new Timeline(site, file, host, clock) { _nextDue = clock.GetUtcNow() };
            // The host has awaited the first pass: the run at start has finished.
            var first = await timeline.CheckRunAsync(Task.CompletedTask);
            Assert.Equal(OutcomeKind.Success, first.LastRun.Kind);
            return timeline;
        }

        /// <summary>From the next run on, the site answers <paramref name="status"/>, with a Retry-After in seconds when given.</summary>
        public void Answer(int status, TimeSpan? retryAfter = null)
        {
            Site.Serve("/news", FaultSite.Status(status, retryAfter is { } wait ? $"{(int)wait.TotalSeconds}" : null));
            _retryAfter = retryAfter;
        }

        /// <summary>From the next run on, the site answers with <paramref name="page"/>.</summary>
        public void Answer(SiteAnswer page)
        {
            Site.Serve("/news", page);
            _retryAfter = null;
        }

        /// <summary>
        /// Advances the clock an interval at a time to the next due time, checking on the way that the service keeps serving
        /// and shows that due time; then awaits the run that time made due and checks it against the schedule. A run started
        /// early would show in that run's start time and in the site's count of requests.
        /// </summary>
        /// <returns>The source's state as that run stored it.</returns>
        public async Task<SourceState> AdvanceToNextRunAsync()
        {
            while (_nextDue - Clock.GetUtcNow() > Interval)
            {
                Clock.Advance(Interval);
                Assert.Equal(_runs, Site.CountRequests("/news"));
                await CheckServingAsync();
            }
            var run = Activity.WhenNextRunsCompletedAsync(1);
            Clock.Advance(_nextDue - Clock.GetUtcNow());
            return await CheckRunAsync(run);
        }

        /// <summary>Awaits <paramref name="run"/>, run number <c>_runs + 1</c>, then checks it started when due and what comes next.</summary>
        private async Task<SourceState> CheckRunAsync(Task run)
        {
            await run.WaitAsync(Wait);
            _runs++;
            var state = (await Store.GetSourceStateAsync("news", CancellationToken.None))!;
            Assert.Equal(_nextDue, state.LastRun.AttemptedAt);
            Assert.Equal(_runs, Site.CountRequests("/news"));

            var failed = state.LastRun.Kind is not (OutcomeKind.Success or OutcomeKind.NotModified);
            ConsecutiveFailures = failed ? ConsecutiveFailures + 1 : 0;
            // The schedule the code defines (no jitter here), fed with what the test made the site answer.
            // The clock stands still during a run, so the site answered at the run's start.
            _nextDue = IngestionSchedule.NextAttempt(_nextDue, Interval, ConsecutiveFailures, _nextDue + _retryAfter, MaxBackoff, 0, 0);
            Assert.Equal(_nextDue, state.LastRun.NextAttemptAt);
            if (_retryAfter is { } asked) Assert.True(_nextDue >= state.LastRun.AttemptedAt + asked);

            var status = await Host.StatusAsync("news");
            Assert.Equal(failed ? "failing" : "healthy", status.GetProperty("state").GetString());
            Assert.Equal(ConsecutiveFailures, status.GetProperty("consecutiveFailures").GetInt32());
            await CheckServingAsync();
            return state;
        }

        /// <summary>
        /// /healthz and /readyz answer 200, /api/sources shows the next due time, and the feed has every item it ever
        /// published, each once.
        /// </summary>
        private async Task CheckServingAsync()
        {
            Assert.Equal(HttpStatusCode.OK, (await Host.Client.GetAsync("healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Host.Client.GetAsync("readyz")).StatusCode);
            var status = await Host.StatusAsync("news");
            Assert.Equal(_nextDue, status.GetProperty("nextAttemptAt").GetDateTimeOffset());

            var ids = (await Host.FeedItemsAsync()).Select(i => i.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Superset(_published, ids.ToHashSet(StringComparer.Ordinal));
            _published.UnionWith(ids);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await _file.DisposeAsync();
            await Site.DisposeAsync();
        }
    }
}
