using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Fetching;

/// <summary>
/// The robots.txt rules of each site (scheme, host and port) for <see cref="FetchOptions.RobotsCacheDuration"/>.
/// An expired entry stays available as a fallback while the site's robots.txt cannot be fetched (RFC 9309 2.4).
/// </summary>
public sealed class RobotsCache(TimeProvider clock, IOptions<FetchOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _fetching = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>One robots.txt fetch per site at a time: sources of one site starting together share the first one's answer.</summary>
    public async Task<IDisposable> LockAsync(Uri url, CancellationToken cancellationToken)
    {
        var gate = _fetching.GetOrAdd(KeyOf(url), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }

    public static string KeyOf(Uri url) => url.GetLeftPart(UriPartial.Authority);

    /// <summary>Fresh rules for the site of <paramref name="url"/>, or null when they must be fetched.</summary>
    public RobotsRules? GetFresh(Uri url) =>
        _entries.TryGetValue(KeyOf(url), out var entry) && entry.ExpiresAt > clock.GetUtcNow() ? entry.Rules : null;

    /// <summary>The last rules fetched for the site, however old (null when never fetched).</summary>
    public RobotsRules? GetAny(Uri url) => _entries.TryGetValue(KeyOf(url), out var entry) ? entry.Rules : null;

    public void Set(Uri url, RobotsRules rules) =>
        _entries[KeyOf(url)] = new Entry(rules, clock.GetUtcNow() + options.Value.RobotsCacheDuration);

    private sealed record Entry(RobotsRules Rules, DateTimeOffset ExpiresAt);
}
