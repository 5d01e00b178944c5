using System.Diagnostics.Metrics;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// Lets at most Publishing:MaxConcurrentRenders renderings (a store read, then a writer) run at once; the rest wait up to
/// Publishing:RenderWaitTimeout for a slot, then are refused, so that however many uncached documents are asked for, readers
/// of cached ones keep the other cores. Every rendering the cache makes goes through it, and is counted; so does every other
/// store read a request for an uncached document needs (<see cref="ReadAsync{T}"/>).
/// </summary>
public sealed class RenderGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly TimeSpan _wait;
    private readonly Counter<long> _renders;
    private readonly UpDownCounter<long> _waiting;
    private readonly Counter<long> _refused;

    public RenderGate(IOptions<PublishingOptions> options, IMeterFactory meters)
    {
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentRenders, options.Value.MaxConcurrentRenders);
        _wait = options.Value.RenderWaitTimeout;
        var meter = meters.Create(CoopFeedsMetrics.MeterName);
        _renders = meter.CreateCounter<long>("coopfeeds.feed.renders", "{render}",
            "Documents rendered from the store (feeds, archives, the OPML list, pages, status): requests the cache could not answer");
        _waiting = meter.CreateUpDownCounter<long>("coopfeeds.feed.renders.waiting", "{render}",
            "Renderings waiting for a slot (Publishing:MaxConcurrentRenders)");
        _refused = meter.CreateCounter<long>("coopfeeds.feed.renders.refused", "{render}",
            "Renderings refused (503) because no slot freed up within Publishing:RenderWaitTimeout");
    }

    /// <summary>The seconds a refused request is told to wait (Retry-After).</summary>
    public int RetryAfterSeconds => FeedResponse.RetryAfterSeconds(_wait);

    /// <summary>Runs <paramref name="render"/> in a slot, or gives <see cref="Rendering.Busy"/> when none frees up in time.</summary>
    public async Task<Rendering> RenderAsync(Func<Task<RenderedFeed?>> render)
    {
        if (!await EnterAsync()) return Rendering.Busy;
        try
        {
            _renders.Add(1);
            return new Rendering(await render(), IsBusy: false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>
    /// Runs a store read that decides whether a document exists before it is rendered (how many archive pages there are,
    /// whether a source is known) in a slot, as a rendering would be: such reads come before any rate-limit permit, since
    /// only a document that exists takes one, so this slot is what bounds a flood of them. Not counted as a rendering.
    /// </summary>
    /// <returns>Whether a slot freed up in time, and what the read gave.</returns>
    public async Task<(bool Admitted, T Value)> ReadAsync<T>(Func<Task<T>> read)
    {
        if (!await EnterAsync()) return (false, default!);
        try
        {
            return (true, await read());
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<bool> EnterAsync()
    {
        if (_slots.Wait(0)) return true;
        _waiting.Add(1);
        try
        {
            if (await _slots.WaitAsync(_wait)) return true;
        }
        finally
        {
            _waiting.Add(-1);
        }
        _refused.Add(1);
        return false;
    }

    public void Dispose() => _slots.Dispose();
}

/// <summary>What the cache gives for an address: the document (null when it does not exist), or busy (no rendering slot in time).</summary>
public readonly record struct Rendering(RenderedFeed? Feed, bool IsBusy)
{
    public static readonly Rendering Busy = new(null, IsBusy: true);
}
