namespace CoopFeeds.Ingestion;

/// <summary>Completes when the first ingest pass over every source has finished, whatever each source's outcome.</summary>
public sealed class IngestionReadiness
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _firstPass.Task.IsCompleted;

    /// <summary>An awaitable signal, so tests and callers never poll or sleep.</summary>
    public Task FirstPassCompleted => _firstPass.Task;

    public void MarkReady() => _firstPass.TrySetResult();
}
