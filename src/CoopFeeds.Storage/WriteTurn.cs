namespace CoopFeeds.Storage;

/// <summary>
/// One write's turn among this process's writers (<see cref="SqlItemStore"/>): disposing it lets the next one in. The
/// default value is no turn at all, for a store whose database queues writers itself.
/// </summary>
internal readonly struct WriteTurn : IDisposable
{
    private readonly SemaphoreSlim? _gate;

    private WriteTurn(SemaphoreSlim gate) => _gate = gate;

    /// <summary>Waits for <paramref name="gate"/> (a semaphore of one) and holds it until disposed.</summary>
    public static async ValueTask<WriteTurn> TakeAsync(SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        return new WriteTurn(gate);
    }

    public void Dispose() => _gate?.Release();
}
