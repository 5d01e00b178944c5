namespace CoopFeeds.Telemetry;

/// <summary>
/// Whether the service may take traffic (<c>/readyz</c>), and whether the first ingest pass over every source has finished.
/// Ready comes with the first pass, or sooner: at once when the store already holds every enabled source (a restart has
/// feeds to serve), or after Ingestion:ReadyTimeout, so a hanging source site never holds an instance out of service.
/// </summary>
public sealed class IngestionReadiness
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>An awaitable signal, so tests and callers never poll or sleep.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Every source due at start (all of them on a fresh store) has run once, whatever each one's outcome (tests await it to
    /// see the first pass's results).
    /// </summary>
    public Task FirstPassCompleted => _firstPass.Task;

    /// <summary>Marks the service ready; true when this call did it (false when it already was).</summary>
    public bool MarkReady() => _ready.TrySetResult();

    public void MarkFirstPassCompleted()
    {
        _firstPass.TrySetResult();
        MarkReady();
    }
}
