using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Fetching;

/// <summary>
/// Politeness per host: one request at a time, and at least <see cref="FetchOptions.PerHostDelay"/> from the end of one
/// request to the start of the next. Waiting goes through <see cref="TimeProvider"/>, so tests advance time instead of sleeping.
/// </summary>
public sealed class HostGate(TimeProvider clock, IOptions<FetchOptions> options)
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for the host's turn; dispose the lease when the response has been read.</summary>
    public async Task<IDisposable> EnterAsync(string host, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(host, _ => new Slot());
        await slot.Turn.WaitAsync(cancellationToken);
        try
        {
            var wait = slot.NotBefore - clock.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);
        }
        catch
        {
            slot.Turn.Release();
            throw;
        }
        return new Lease(slot, this);
    }

    private void Leave(Slot slot)
    {
        slot.NotBefore = clock.GetUtcNow() + options.Value.PerHostDelay;
        slot.Turn.Release();
    }

    private sealed class Slot
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);
        public DateTimeOffset NotBefore { get; set; } = DateTimeOffset.MinValue;
    }

    private sealed class Lease(Slot slot, HostGate gate) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) gate.Leave(slot);
        }
    }
}
