using System.Security.Cryptography;
using CoopFeeds.Core.Sources;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

/// <summary>
/// This process's leases on sources (<see cref="IItemStore.TryLeaseAsync"/>). Whatever runs a source — the scheduler of any
/// instance, or <c>ingest</c> — takes its lease first, holds it while the run goes on (renewed every third of
/// Ingestion:LeaseDuration), and the run's save releases it. So of several instances on one database one runs a source at
/// a time, and a source whose holder crashed is taken over once its lease expires. Expiry is on the injected clock,
/// stored as UTC ticks like every other instant.
/// </summary>
public sealed class SourceLeases(IItemStore store, IOptions<IngestionOptions> options, TimeProvider clock, ILogger<SourceLeases> logger)
{
    /// <summary>
    /// Who holds this process's leases: host name, process id and a random part, so that a restarted process (which may get
    /// its predecessor's pid in a container) never takes its predecessor's leases for its own.
    /// </summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public TimeSpan Duration => options.Value.EffectiveLeaseDuration;

    /// <summary>Asks for the lease of <paramref name="source"/> now, for <see cref="Duration"/>.</summary>
    public Task<LeaseResult> TryTakeAsync(ConfiguredSource source, LeaseCondition condition, CancellationToken cancellationToken) =>
        store.TryLeaseAsync(new LeaseRequest
        {
            SourceId = source.Id,
            Holder = Holder,
            Now = clock.GetUtcNow(),
            Duration = Duration,
            Condition = condition,
            Fingerprint = SourceFingerprint.Of(source.Definition),
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="run"/>, which saves under the lease just granted (<see cref="SourceRun.LeaseHolder"/> = <see cref="Holder"/>),
    /// renewing the lease until it ends. A run that ends without its save (cancelled, or it threw) gives the lease back, so
    /// another instance may take the source at once.
    /// </summary>
    /// <exception cref="LeaseLostException">
    /// Another holder took the source over (this process stalled past the lease): the run was cancelled, or its save refused.
    /// </exception>
    public async Task<T> HoldAsync<T>(string sourceId, Func<CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var ended = new CancellationTokenSource();
        var renewing = RenewUntilEndedAsync(sourceId, lost, ended.Token);
        var saved = false;
        try
        {
            var result = await run(lost.Token);
            saved = true;
            return result;
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new LeaseLostException(sourceId, Holder);
        }
        finally
        {
            await ended.CancelAsync();
            await renewing;
            if (!saved) await ReleaseAsync(sourceId);
        }
    }

    private async Task RenewUntilEndedAsync(string sourceId, CancellationTokenSource lost, CancellationToken ended)
    {
        var duration = Duration;
        using var timer = new PeriodicTimer(duration / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ended))
            {
                try
                {
                    if (await store.RenewLeaseAsync(sourceId, Holder, clock.GetUtcNow() + duration, ended)) continue;
                    logger.LogWarning("Lost the lease of {SourceId}: another instance took it over; this run is abandoned", sourceId);
                    await lost.CancelAsync();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Tried again at the next tick; should the lease expire meanwhile and be taken, the save is refused.
                    logger.LogWarning("Renewing the lease of {SourceId} failed: {Error}", sourceId, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
        }
    }

    private async Task ReleaseAsync(string sourceId)
    {
        try
        {
            await store.ReleaseLeaseAsync(sourceId, Holder, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // It expires by itself; until then no other instance runs the source.
            logger.LogWarning("Releasing the lease of {SourceId} failed: {Error}; it expires within {LeaseDuration}", sourceId, ex.Message, Duration);
        }
    }
}
