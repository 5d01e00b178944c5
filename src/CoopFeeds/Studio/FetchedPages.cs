using System.Security.Cryptography;
using CoopFeeds.Fetching;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>A page the studio fetched: what was asked for, what came back, and when.</summary>
public sealed record FetchedPage
{
    public required string FetchId { get; init; }

    /// <summary>The address as asked for: what a source saved from this page has as its Url.</summary>
    public required Uri Url { get; init; }

    /// <summary>The fetch's result, with the bytes: every suggestion, preview and snapshot of this page reads these bytes.</summary>
    public required FetchResult Fetched { get; init; }

    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>How long the fetch took (robots.txt and the host's turn included), on the service's clock.</summary>
    public required TimeSpan Took { get; init; }

    public long Bytes => Fetched.Body?.LongLength ?? 0;
}

/// <summary>
/// The pages the studio fetched, kept for <see cref="StudioOptions.FetchedPageLifetime"/> and within
/// <see cref="StudioOptions.FetchedPagesMaxBytes"/> altogether (the oldest go first), so that a maintainer trying selectors
/// reads the same bytes on every edit, and the site is asked once. Expiry runs on <see cref="TimeProvider"/>.
/// </summary>
public sealed class FetchedPages(TimeProvider clock, IOptions<StudioOptions> options)
{
    private readonly Lock _lock = new();

    /// <summary>Oldest first.</summary>
    private readonly LinkedList<FetchedPage> _pages = [];
    private long _bytes;

    /// <summary>Keeps <paramref name="fetched"/> (a fetch with a body) under a new id that cannot be guessed.</summary>
    public FetchedPage Add(Uri url, FetchResult fetched, TimeSpan took)
    {
        var page = new FetchedPage
        {
            FetchId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Url = url,
            Fetched = fetched,
            FetchedAt = clock.GetUtcNow(),
            Took = took,
        };
        lock (_lock)
        {
            _pages.AddLast(page);
            _bytes += page.Bytes;
            RemoveExpired();
            // A page larger than the whole budget is still kept, alone, so the fetch that brought it can be used.
            while (_bytes > options.Value.FetchedPagesMaxBytes && !ReferenceEquals(_pages.First!.Value, page)) Remove(_pages.First);
        }
        return page;
    }

    /// <summary>The page fetched under <paramref name="fetchId"/>, or null when there is none (never was, expired, or pushed out).</summary>
    public FetchedPage? Find(string fetchId)
    {
        lock (_lock)
        {
            RemoveExpired();
            return _pages.FirstOrDefault(p => p.FetchId == fetchId);
        }
    }

    private void RemoveExpired()
    {
        var oldest = clock.GetUtcNow() - options.Value.FetchedPageLifetime;
        while (_pages.First is { } first && first.Value.FetchedAt <= oldest) Remove(first);
    }

    private void Remove(LinkedListNode<FetchedPage> node)
    {
        _bytes -= node.Value.Bytes;
        _pages.Remove(node);
    }
}
