using System.Collections.Concurrent;

namespace CoopFeeds.Fetching;

/// <summary>
/// What opened each site's circuit, so a fetch the breaker refuses can still say why ("HTTP 500") in the source's status
/// rather than only that the circuit is open. Written by the breaker's OnOpened, read by <see cref="ListingFetcher"/>.
/// </summary>
public sealed class OpenCircuits
{
    private readonly ConcurrentDictionary<string, string> _causes = new(StringComparer.OrdinalIgnoreCase);

    public void Opened(string authority, string cause) => _causes[authority] = cause;

    /// <summary>The failure that last opened the circuit of <paramref name="authority"/>, if any did.</summary>
    public string? CauseOf(string authority) => _causes.TryGetValue(authority, out var cause) ? cause : null;
}
