using System.Threading.Channels;
using CoopFeeds.Changes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Serving;
using CoopFeeds.Sources;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CoopFeeds.Publishing;

/// <summary>
/// WebSub §6: tells the hub that a section's feeds (and the combined feed) have new content, with <c>hub.mode=publish</c> and
/// the feed URL as both <c>hub.url</c> and <c>hub.topic</c>, one form-encoded POST per feed URL. Pings only when
/// Publishing:HubUrl and Publishing:PublicBaseUrl are set.
/// </summary>
/// <remarks>
/// Only the process that stored a change pings for it: <c>serve</c> for its own saves and sources-file reloads
/// (<see cref="HubNotifier"/>), <c>ingest</c> and <c>purge</c> for theirs (<see cref="PingWrittenChangesAsync"/>). A change
/// learned from the store (<see cref="StoreVersionWatch"/>) is never pinged again, so with several instances on one
/// database the hub hears of each change once.
/// The HTTP client carries the standard resilience handler (retries with back-off on 5xx, 408, 429 and network errors);
/// a ping that still fails is logged and dropped, and never holds up serving feeds (checklist 4.6).
/// </remarks>
public sealed class HubPinger(
    FeedChangeSignal changes,
    SourceCatalogProvider catalogs,
    IHttpClientFactory clients,
    IOptions<PublishingOptions> options,
    TimeProvider clock,
    ILogger<HubPinger> logger)
{
    public const string ClientName = "WebSub";

    /// <summary>Whether there is a hub to ping: Publishing:HubUrl, and Publishing:PublicBaseUrl for the feeds' addresses.</summary>
    public bool HasHub => options.Value is { HubUrl: not null, PublicBaseUrl: not null };

    /// <summary>
    /// One round of pings for every change queued on the signal now: changes that arrived together (one ingest pass) make one
    /// round, in which each section still in the sources file, and the combined feed, is pinged once.
    /// </summary>
    public async Task PingQueuedAsync(CancellationToken cancellationToken)
    {
        var sections = new SortedSet<string>(StringComparer.Ordinal);
        while (changes.Changes.TryRead(out var change))
        {
            sections.UnionWith(change.Sections.Where(section => catalogs.Current.FindSection(section) is not null));
        }
        if (sections.Count == 0 || options.Value is not { HubUrl: { } hub, PublicBaseUrl: { } publicBase }) return;
        sections.Add(SectionDefinition.AllSlug);

        var urls = PublicUrls.From(publicBase);
        foreach (var slug in sections)
        {
            foreach (var format in FeedFormat.All)
            {
                await PingAsync(hub, urls.Feed(slug, format), cancellationToken);
            }
        }
    }

    /// <summary>
    /// For a process that writes and exits (<c>ingest</c>, <c>purge</c>): pings for the changes it queued, once every
    /// <c>serve</c> instance has learned of them. That takes at most one Publishing:StoreVersionPollInterval (the poll; on
    /// PostgreSQL a notification brings them sooner), so the pings wait that long: the hub's fetch must get the new bytes.
    /// </summary>
    public async Task PingWrittenChangesAsync(CancellationToken cancellationToken)
    {
        if (!HasHub || !changes.Changes.TryPeek(out _)) return;
        await Task.Delay(options.Value.StoreVersionPollInterval, clock, cancellationToken);
        await PingQueuedAsync(cancellationToken);
    }

    private async Task PingAsync(Uri hub, Uri topic, CancellationToken cancellationToken)
    {
        try
        {
            using var client = clients.CreateClient(ClientName);
            // WebSub leaves how a publisher notifies its hub to the hub: PubSubHubbub 0.4 hubs read hub.url, many newer ones
            // read hub.topic (the name subscriptions use). Sending both reaches either kind and costs nothing.
            using var form = new FormUrlEncodedContent(
            [
                new("hub.mode", "publish"),
                new("hub.url", topic.AbsoluteUri),
                new("hub.topic", topic.AbsoluteUri),
            ]);
            using var response = await client.PostAsync(hub, form, cancellationToken);
            if (response.IsSuccessStatusCode)
                logger.LogDebug("Pinged hub {HubUrl} for {Url}: {StatusCode}", hub, topic, (int)response.StatusCode);
            else
                logger.LogWarning("Hub {HubUrl} refused the ping for {Url}: {StatusCode}", hub, topic, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutRejectedException or BrokenCircuitException
                                   && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Could not ping hub {HubUrl} for {Url}: {Error}", hub, topic, e.Message);
        }
    }
}
