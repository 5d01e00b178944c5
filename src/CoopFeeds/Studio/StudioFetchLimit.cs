using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// At most <see cref="StudioOptions.FetchesPerWindow"/> fetches per token within any <see cref="StudioOptions.FetchWindow"/>
/// (a sliding window on <see cref="TimeProvider"/>), so a leaked token, or a script looping, cannot make this service hammer
/// a site; the per-host gate of the fetcher spaces the requests to each site on top of this. Tokens are held as hashes.
/// </summary>
public sealed class StudioFetchLimit(TimeProvider clock, IOptions<StudioOptions> options)
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _fetches = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Counts one fetch for <paramref name="token"/>; when the window is full, how long until one is free instead.</summary>
    public bool TryTake(string token, out TimeSpan retryAfter)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = clock.GetUtcNow();
        var window = options.Value.FetchWindow;
        lock (_lock)
        {
            if (!_fetches.TryGetValue(key, out var times)) _fetches[key] = times = new Queue<DateTimeOffset>();
            while (times.TryPeek(out var oldest) && oldest <= now - window) times.Dequeue();
            if (times.Count >= options.Value.FetchesPerWindow)
            {
                retryAfter = times.Peek() + window - now;
                return false;
            }
            times.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
