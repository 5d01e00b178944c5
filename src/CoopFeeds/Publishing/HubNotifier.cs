using CoopFeeds.Changes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Serving;
using CoopFeeds.Sources;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CoopFeeds.Publishing;

/// <summary>
/// WebSub §6: after items of a section change, tells the hub that the section's feeds (and the combined feed) have new content,
/// with <c>hub.mode=publish</c> and the feed URL as both <c>hub.url</c> and <c>hub.topic</c>, one form-encoded POST per feed URL.
/// Runs only when Publishing:HubUrl is set.
/// </summary>
/// <remarks>
/// The signal's version moves before the change is queued, so the hub's fetch of the topic already gets the new bytes (checklist 4.5).
/// The HTTP client carries the standard resilience handler (retries with back-off on 5xx, 408, 429 and network errors);
/// a ping that still fails is logged and dropped, and never holds up serving feeds (checklist 4.6).
/// </remarks>
public sealed class HubNotifier(
    FeedChangeSignal changes,
    SourceCatalogProvider catalogs,
    IHttpClientFactory clients,
    IOptions<PublishingOptions> options,
    ILogger<HubNotifier> logger) : BackgroundService
{
    public const string ClientName = "WebSub";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hub = options.Value.HubUrl;
        var publicBase = options.Value.PublicBaseUrl;
        if (hub is null || publicBase is null) return;
        var urls = PublicUrls.From(publicBase);

        while (await changes.Changes.WaitToReadAsync(stoppingToken))
        {
            // Changes that arrived together (one ingest pass) make one round of pings.
            var sections = new SortedSet<string>(StringComparer.Ordinal);
            while (changes.Changes.TryRead(out var change))
            {
                if (catalogs.Current.FindSection(change.Section) is not null) sections.Add(change.Section);
            }
            if (sections.Count == 0) continue;
            sections.Add(SectionDefinition.AllSlug);

            foreach (var slug in sections)
            {
                foreach (var format in FeedFormat.All)
                {
                    await PingAsync(hub, urls.Feed(slug, format), stoppingToken);
                }
            }
        }
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
