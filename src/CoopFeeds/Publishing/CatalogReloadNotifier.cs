using CoopFeeds.Changes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Sources;
using Microsoft.Extensions.Primitives;

namespace CoopFeeds.Publishing;

/// <summary>
/// Signals a feed change after each accepted reload of the sources file: a section's title, description or language is in
/// its feeds and in <c>/feeds.opml</c>, and a source's interval is in the TTL, yet none of them moves the store version.
/// Sections added or edited are notified by slug (their feeds' bytes changed, so the hub is pinged for them, and for the
/// combined feed, whose description names every section); any other accepted reload only invalidates the cache.
/// </summary>
/// <remarks>
/// It runs inside <see cref="SourceCatalogProvider.Replace"/> (the provider's change token fires synchronously), so once a
/// reload returns, no request is served a feed rendered from the previous file.
/// </remarks>
public sealed class CatalogReloadNotifier(SourceCatalogProvider catalogs, FeedChangeSignal changes, ILogger<CatalogReloadNotifier> logger)
    : IHostedService, IDisposable
{
    private readonly Lock _previousLock = new();
    private SourceCatalog? _previous;
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_previousLock) _previous = catalogs.Current;
        _subscription = ChangeToken.OnChange(() => new CancellationChangeToken(catalogs.ChangeToken), OnReload);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
    }

    private void OnReload()
    {
        List<string> edited;
        lock (_previousLock)
        {
            var before = _previous!;
            var after = catalogs.Current;
            if (ReferenceEquals(before, after)) return;
            _previous = after;
            // SectionDefinition is a record: unequal means a title, description or language changed, or the section is new.
            edited = [.. after.Sections.Where(s => before.FindSection(s.Slug) != s).Select(s => s.Slug)];
        }

        if (edited.Count == 0)
        {
            changes.Invalidate();
            return;
        }
        logger.LogInformation("Sources file reloaded: feeds of sections [{Sections}] changed", string.Join(", ", edited));
        changes.Notify(edited);
    }
}
