namespace CoopFeeds.Telemetry;

/// <summary>
/// Whether the service may take traffic (<c>/readyz</c>), and whether this instance's first ingest pass has finished.
/// Ready means every enabled source has a stored state — its feeds have something to serve, whichever instance ran it —
/// or Ingestion:ReadyTimeout has passed, so a hanging source site never holds an instance out of service.
/// </summary>
public sealed class IngestionReadiness
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>An awaitable signal, so tests and callers never poll or sleep.</summary>
    public Task Ready => _ready.Task;

    /// <summary>
    /// Every source due at start (all of them on a fresh store) has been run or refused to this instance, whatever each
    /// one's outcome (tests await it to see the first pass's results).
    /// </summary>
    public Task FirstPassCompleted => _firstPass.Task;

    /// <summary>Marks the service ready; true when this call did it (false when it already was).</summary>
    public bool MarkReady() => _ready.TrySetResult();

    public void MarkFirstPassCompleted() => _firstPass.TrySetResult();
}
