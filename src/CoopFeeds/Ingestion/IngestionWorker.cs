using CoopFeeds.Core.Sources;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

/// <summary>
/// Runs each enabled source when it is due (its interval with jitter, backed off after failures, see
/// <see cref="IngestionSchedule"/>). At start, each source keeps the next attempt its last run stored: a source that never
/// ran, or was edited since, runs at once; those that fell due while the service was down are spread over a short window,
/// most overdue first; the rest wait for their time. So a service that keeps restarting still reaches every source.
/// At most MaxConcurrency sources run at once; one source failing or hanging never holds up the others. A reloaded
/// sources file takes effect at once: new and edited sources run now, removed ones stop (their items stay). On shutdown the
/// running sources are cancelled and awaited, so each one's save commits or rolls back whole.
/// A source runs only under its lease (<see cref="SourceLeases"/>), granted by the store when no other instance runs it and
/// the stored state says it is due, so several instances on one database share the sources: this instance's due times
/// are when it asks, and a refusal tells it when to ask again (the other holder's lease expiry, or the next attempt the
/// other instance stored). Everything a run starts from — validators, failure counts, backoff, the next attempt — is read
/// from the store, so any instance can take over any source.
/// Waiting goes through <see cref="TimeProvider"/>, so tests advance time instead of sleeping.
/// </summary>
public sealed class IngestionWorker(
    SourceCatalogProvider catalogs,
    SourceIngester ingester,
    SourceLeases leases,
    IItemStore store,
    IngestionReadiness readiness,
    IngestionActivity activity,
    IOptions<IngestionOptions> options,
    TimeProvider clock,
    ILogger<IngestionWorker> logger) : BackgroundService
{
    // The schedule, one slot per enabled source, and each slot's fields: the loop, each run as it ends, and the readiness
    // timer all touch it.
    private readonly Lock _slotsLock = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    // What the store said of each source at start (next attempt, last start): filled before the loop starts, then read and
    // cleared under _slotsLock.
    private readonly Dictionary<string, StoredSchedule> _stored = new(StringComparer.Ordinal);

    // The runs started and not yet seen to end, awaited on shutdown.
    private readonly Lock _runningLock = new();
    private readonly List<Task> _running = [];

    private readonly SemaphoreSlim _nudge = new(0);

    /// <summary>How soon to ask again for a lease another instance was taking or releasing at that moment.</summary>
    private static readonly TimeSpan BusyRetry = TimeSpan.FromSeconds(1);

    // Enabled sources known to have a stored state (read at start, then each run saved here or refused as not due): when it
    // holds every enabled source, the service is ready. Under _slotsLock.
    private readonly HashSet<string> _withState = new(StringComparer.Ordinal);

    private sealed class Slot
    {
        public required ConfiguredSource Source { get; set; }
        public required string Fingerprint { get; set; }
        public DateTimeOffset NextDue { get; set; }

        /// <summary>When its last run started (null: never); of sources due together, the one that waited longest goes first.</summary>
        public DateTimeOffset? LastStarted { get; set; }

        public bool Running { get; set; }

        /// <summary>Due now because its definition changed: its lease is granted while no run with the new definition was saved.</summary>
        public bool Edited { get; set; }
    }

    /// <summary>What the store says of a source at start: when it is next due, when it last ran, and whether it was edited since.</summary>
    private sealed record StoredSchedule(DateTimeOffset? Due, DateTimeOffset? LastStarted, bool Edited);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var limit = new SemaphoreSlim(options.Value.MaxConcurrency);
        // Bounded: a first pass held up by hanging sites (each costs up to RunTimeout) must not keep /readyz at 503.
        using var readyTimeout = clock.CreateTimer(_ => ReadyAfterTimeout(), null, options.Value.ReadyTimeout, Timeout.InfiniteTimeSpan);
        var firstPass = Task.CompletedTask;
        logger.LogInformation("Instance {InstanceId} schedules the sources; each run holds its lease for {LeaseDuration}, renewed while it runs",
            leases.Holder, leases.Duration);
        try
        {
            var stored = await LoadStoredScheduleAsync(stoppingToken);
            lock (_slotsLock)
            {
                var catalog = catalogs.Current;
                _withState.UnionWith(stored);
                // A restart with every source already stored has feeds to serve: ready now, not after a pass.
                MarkReadyIfEveryStateIsStored(catalog);
                SyncWithCatalog(catalog);
                _stored.Clear(); // read at start only: a source enabled or added later is new
                // The first pass is the sources due at start (every one, on a fresh store). The loop below goes on at once,
                // so a source of the first pass that hangs does not hold up the next runs of the others.
                firstPass = CompleteFirstPassAsync(StartDueSources(limit, stoppingToken));
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                var catalogChanged = catalogs.ChangeToken;
                lock (_slotsLock)
                {
                    SyncWithCatalog(catalogs.Current);
                    StartDueSources(limit, stoppingToken);
                }
                await WaitForWorkAsync(catalogChanged, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Let each running source finish or roll back: its save is one transaction that the cancellation aborts whole.
            Task[] running;
            lock (_runningLock) running = [.. _running];
            await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await firstPass;
            readiness.MarkFirstPassCompleted();
        }
    }

    private async Task CompleteFirstPassAsync(List<Task> runs)
    {
        await Task.WhenAll(runs).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        readiness.MarkFirstPassCompleted();
    }

    /// <summary>
    /// Each source's next attempt as its last run stored it, so a restart does not run every source again at once: a crash
    /// loop would otherwise run the first sources of the file over and over and never reach the last. A source edited
    /// since its last good run runs now, unless it is failing: its stored definition is its last good run's, so an edit
    /// made while the service was down cannot be told from one it has failed with since, and a failing site keeps its
    /// backoff. Sources due while the service was down are spread over Ingestion:MinInterval, the soonest any source may
    /// run again anyway, most overdue first.
    /// </summary>
    /// <returns>The ids of the sources the store holds state for (none when it cannot say).</returns>
    private async Task<IReadOnlySet<string>> LoadStoredScheduleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<SourceState> states;
        try
        {
            states = await store.GetSourceStatesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Reading the stored schedule failed; every source runs now");
            return new HashSet<string>();
        }

        var catalog = catalogs.Current;
        var overdue = new List<(string SourceId, DateTimeOffset NextAttemptAt)>();
        foreach (var state in states)
        {
            if (catalog.FindSource(state.SourceId) is not { } source) continue;
            var edited = state.DefinitionFingerprint is { } read && read != SourceFingerprint.Of(source.Definition);
            var keepsBackoff = !edited || state.Health == SourceHealth.Failing;
            DateTimeOffset? due = null; // now
            if (state.LastRun.NextAttemptAt is { } next && keepsBackoff)
            {
                if (next > now) due = next;
                else overdue.Add((state.SourceId, next));
            }
            _stored[state.SourceId] = new StoredSchedule(due, state.LastRun.AttemptedAt, Edited: !keepsBackoff);
        }
        foreach (var (id, due) in IngestionSchedule.SpreadOverdue(overdue, now, catalogs.MinInterval))
            _stored[id] = _stored[id] with { Due = due };
        return states.Select(s => s.SourceId).ToHashSet(StringComparer.Ordinal);
    }

    private void ReadyAfterTimeout()
    {
        if (!readiness.MarkReady()) return;
        string[] running;
        lock (_slotsLock) running = [.. _slots.Values.Where(s => s.Running).Select(s => s.Source.Id).OrderBy(id => id, StringComparer.Ordinal)];
        logger.LogWarning("Ready after {ReadyTimeout} although not every enabled source has a stored state yet; running here: {SourceIds}",
            options.Value.ReadyTimeout, string.Join(", ", running));
    }

    /// <summary>Ready once every enabled source is known to have a stored state (under <see cref="_slotsLock"/>).</summary>
    private void MarkReadyIfEveryStateIsStored(SourceCatalog catalog)
    {
        if (readiness.IsReady || !catalog.Sources.Where(s => s.Definition.Enabled).All(s => _withState.Contains(s.Id))) return;
        if (readiness.MarkReady()) logger.LogInformation("Ready: the store holds every enabled source");
    }

    /// <summary>
    /// Adds new and enabled sources (due now, or when the store says at start), drops removed and disabled ones, and makes
    /// edited ones due now.
    /// </summary>
    private void SyncWithCatalog(SourceCatalog catalog)
    {
        var now = clock.GetUtcNow();
        var enabled = catalog.Sources.Where(s => s.Definition.Enabled).ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var id in _slots.Keys.Where(id => !enabled.ContainsKey(id)).ToList())
        {
            if (_slots[id].Running) continue; // dropped once its run ends
            _slots.Remove(id);
            activity.Unscheduled(id);
            logger.LogInformation("{SourceId} is no longer scheduled (removed or disabled); its items are kept", id);
        }

        foreach (var (id, source) in enabled)
        {
            var fingerprint = SourceFingerprint.Of(source.Definition);
            if (!_slots.TryGetValue(id, out var slot))
            {
                _stored.TryGetValue(id, out var stored);
                var due = stored?.Due ?? now;
                _slots[id] = new Slot
                {
                    Source = source, Fingerprint = fingerprint, NextDue = due, LastStarted = stored?.LastStarted, Edited = stored?.Edited ?? false,
                };
                activity.Scheduled(id, due);
            }
            else if (slot.Fingerprint != fingerprint)
            {
                slot.Source = source;
                slot.Fingerprint = fingerprint;
                slot.NextDue = now;
                slot.Edited = true;
                activity.Scheduled(id, now);
            }
        }
    }

    private List<Task> StartDueSources(SemaphoreSlim limit, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var started = new List<Task>();
        var due = _slots.Values.Where(s => !s.Running && s.NextDue <= now)
            .OrderBy(s => s.NextDue).ThenBy(s => s.LastStarted ?? DateTimeOffset.MinValue).ToList();
        foreach (var slot in due)
        {
            slot.Running = true;
            slot.LastStarted = now;
            var task = RunAsync(slot, limit, stoppingToken);
            started.Add(task);
            lock (_runningLock) _running.Add(task);
        }
        return started;
    }

    private async Task RunAsync(Slot slot, SemaphoreSlim limit, CancellationToken stoppingToken)
    {
        await Task.Yield();
        ConfiguredSource source;
        bool edited;
        lock (_slotsLock) (source, edited) = (slot.Source, slot.Edited);
        IngestReport? report = null;
        LeaseResult? refused = null;
        try
        {
            await limit.WaitAsync(stoppingToken);
            try
            {
                // Taken only once a run may start here, so that no lease waits on this instance's other runs.
                var lease = await leases.TryTakeAsync(source, edited ? LeaseCondition.WhenDueOrEdited : LeaseCondition.WhenDue, stoppingToken);
                if (lease.Granted)
                {
                    activity.Started(source.Id, clock.GetUtcNow());
                    report = await leases.HoldAsync(source.Id, run => ingester.IngestAsync(source, leases.Holder, run), stoppingToken);
                }
                else
                {
                    refused = lease;
                }
            }
            finally
            {
                limit.Release();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            logger.LogInformation("Ingesting {SourceId} stopped by shutdown; nothing of the run was saved", source.Id);
        }
        catch (LeaseLostException)
        {
            logger.LogWarning("Ingesting {SourceId} outlived its lease and another instance took it over; this run saved nothing", source.Id);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Ingesting {SourceId} threw; its stored items are kept", source.Id);
        }
        finally
        {
            // The scheduler's own state is touched on its loop only; hand the result back through the slot.
            var now = clock.GetUtcNow();
            var next = refused is not null ? AskAgainAt(refused, now) : report?.Outcome.NextAttemptAt ?? now + source.Definition.Interval;
            lock (_slotsLock)
            {
                if (ReferenceEquals(slot.Source, source))
                {
                    slot.NextDue = next; // an edit meanwhile keeps "due now"
                    // The edit has run, here or elsewhere, unless the holder that refused is running the definition before it.
                    if (refused?.Answer is not (LeaseAnswer.HeldByAnother or LeaseAnswer.Busy)) slot.Edited = false;
                }
                slot.Running = false;
                if (report is not null || refused?.Answer == LeaseAnswer.NotDue) _withState.Add(source.Id);
                MarkReadyIfEveryStateIsStored(catalogs.Current);
            }
            lock (_runningLock) _running.RemoveAll(t => t.IsCompleted);
            activity.Scheduled(source.Id, slot.NextDue);
            if (refused is null) activity.Completed(source.Id); // a refused lease is no run
            _nudge.Release();
        }
    }

    /// <summary>
    /// When to ask again for a lease that was refused: when the other holder's lease expires (it may crash), at the next
    /// attempt the last run stored, or in a moment when another holder was taking or releasing the lease just then.
    /// </summary>
    private static DateTimeOffset AskAgainAt(LeaseResult refused, DateTimeOffset now) =>
        refused.Until is { } until && until > now ? until : now + BusyRetry;

    /// <summary>Waits until the next source is due, a run finishes, or the sources file changes.</summary>
    private async Task WaitForWorkAsync(CancellationToken catalogChanged, CancellationToken stoppingToken)
    {
        DateTimeOffset? next;
        lock (_slotsLock) next = _slots.Values.Where(s => !s.Running).Select(s => (DateTimeOffset?)s.NextDue).Min();
        // Due already: return before waiting on the nudge, whose pending wait would otherwise swallow the next release.
        if (next <= clock.GetUtcNow()) return;
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, catalogChanged);
        var before = clock.GetUtcNow();
        var delay = next is { } due ? Max(due - before, TimeSpan.Zero) : Timeout.InfiniteTimeSpan;
        var waits = new List<Task> { _nudge.WaitAsync(wake.Token), Task.Delay(delay, clock, wake.Token) };

        // The delay counts from the clock's time as it was set up. If the clock moved meanwhile (a test's fake clock can
        // move by seconds at once), it would end that much after the due time, and a test waiting for the run at the due
        // time would wait for ever: go round again instead, with the time as it is now.
        if (!(next <= clock.GetUtcNow()) && clock.GetUtcNow() - before <= TimeSpan.FromMilliseconds(1)) await Task.WhenAny(waits);
        stoppingToken.ThrowIfCancellationRequested();
        await wake.CancelAsync();
        // A nudge consumed here is fine; one that raced with the delay stays counted and wakes the next wait at once.
        await Task.WhenAll(waits).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
