using System.Collections.Concurrent;
using CoopFeeds.Changes;

namespace CoopFeeds.Telemetry;

/// <summary>
/// What the scheduler is doing: the sources running now and each one's next due time. The status page reads it, so each
/// change moves <see cref="SourceStateSignal"/>; tests await <see cref="WhenNextRunsCompletedAsync"/> instead of sleeping.
/// </summary>
public sealed class IngestionActivity(SourceStateSignal sourceStates)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextDue = new(StringComparer.Ordinal);

    private readonly Lock _completedLock = new();
    private long _completed;
    private readonly List<(long Count, TaskCompletionSource Signal)> _waiters = [];

    /// <summary>Sources being ingested now, with when each started.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Running => _running;

    /// <summary>Runs finished (failed or not) since the start; a lease refused to this instance is no run.</summary>
    public long RunsCompleted
    {
        get
        {
            lock (_completedLock) return _completed;
        }
    }

    /// <summary>When the scheduler will next run each scheduled source.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> NextDue => _nextDue;

    public void Started(string sourceId, DateTimeOffset at)
    {
        _running[sourceId] = at;
        sourceStates.Changed();
    }

    public void Scheduled(string sourceId, DateTimeOffset at)
    {
        _nextDue[sourceId] = at;
        sourceStates.Changed();
    }

    public void Unscheduled(string sourceId)
    {
        _nextDue.TryRemove(sourceId, out _);
        sourceStates.Changed();
    }

    public void Completed(string sourceId)
    {
        _running.TryRemove(sourceId, out _);
        sourceStates.Changed(); // before the waiters are told: what they read next shows the run ended

        List<TaskCompletionSource> due;
        lock (_completedLock)
        {
            var count = ++_completed;
            due = _waiters.Where(w => w.Count <= count).Select(w => w.Signal).ToList();
            _waiters.RemoveAll(w => w.Count <= count);
        }
        foreach (var signal in due) signal.TrySetResult();
    }

    /// <summary>Completes once <paramref name="count"/> more runs (failed or not) have finished after this call.</summary>
    public Task WhenNextRunsCompletedAsync(int count)
    {
        lock (_completedLock)
        {
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((_completed + count, signal));
            return signal.Task;
        }
    }
}
