using System.Collections.Concurrent;

namespace CoopFeeds.Ingestion;

/// <summary>
/// What the scheduler is doing: the sources running now, each one's next due time, and every finished run. The status page
/// reads it; tests await <see cref="WhenRunsCompletedAsync"/> instead of sleeping.
/// </summary>
public sealed class IngestionActivity
{
    private readonly Lock _gate = new();
    private readonly List<(long Count, TaskCompletionSource Signal)> _waiters = [];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nextDue = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<IngestReport> _recent = new();
    private long _completed;

    public long CompletedRuns => Interlocked.Read(ref _completed);

    /// <summary>Sources being ingested now, with when each started.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> Running => _running;

    /// <summary>When the scheduler will next run each scheduled source.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> NextDue => _nextDue;

    /// <summary>The last runs, oldest first (at most 100).</summary>
    public IReadOnlyList<IngestReport> RecentRuns => [.. _recent];

    public void Started(string sourceId, DateTimeOffset at) => _running[sourceId] = at;

    public void Scheduled(string sourceId, DateTimeOffset at) => _nextDue[sourceId] = at;

    public void Unscheduled(string sourceId) => _nextDue.TryRemove(sourceId, out _);

    public void Completed(string sourceId, IngestReport? report)
    {
        _running.TryRemove(sourceId, out _);
        if (report is not null)
        {
            _recent.Enqueue(report);
            while (_recent.Count > 100) _recent.TryDequeue(out _);
        }

        List<TaskCompletionSource> due;
        lock (_gate)
        {
            var count = ++_completed;
            due = _waiters.Where(w => w.Count <= count).Select(w => w.Signal).ToList();
            _waiters.RemoveAll(w => w.Count <= count);
        }
        foreach (var signal in due) signal.TrySetResult();
    }

    /// <summary>Completes once <paramref name="count"/> runs in all have finished (failed or not) since start.</summary>
    public Task WhenRunsCompletedAsync(long count)
    {
        lock (_gate)
        {
            if (_completed >= count) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, signal));
            return signal.Task;
        }
    }
}
