using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// Settings under <c>Publishing:</c>: the feeds' own, and the public face every served document shares (the status feed too):
/// the public base URL, trusted proxies, the author and the rate limit.
/// </summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The public address of this service (links and self links); when unset, built from each request.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Newest items in a subscription feed, and the number of items in each RFC 5005 archive document.</summary>
    [Range(1, 1000)]
    public int FeedSize { get; set; } = 50;

    /// <summary>The largest <c>?limit=</c> a partner may ask for.</summary>
    [Range(1, 10000)]
    public int MaxLimit { get; set; } = 500;

    /// <summary>
    /// How long readers and caches may keep an archive document before revalidating it. Long, because a full archive changes
    /// only when one of its items is edited; not "immutable", because such edits do happen (the ETag catches them).
    /// </summary>
    public TimeSpan ArchiveMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often the store version is read to learn of changes made outside this process (<c>purge</c>, <c>ingest</c>, other
    /// instances): the longest such a change waits to reach the feeds.
    /// </summary>
    public TimeSpan StoreVersionPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>WebSub hub: advertised in feeds and Link headers, and pinged when a section changes. Needs <see cref="PublicBaseUrl"/>.</summary>
    public Uri? HubUrl { get; set; }

    /// <summary>The first delay between attempts to ping the hub (exponential back-off after it).</summary>
    public TimeSpan HubRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>) of reverse proxies whose X-Forwarded-For/Proto/Host are believed.
    /// Empty: forwarded headers are never honoured.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Name in the feeds' author element (Atom requires one).</summary>
    public string Author { get; set; } = "CoopFeeds";

    /// <summary>
    /// Full (200) responses per client address, document path and window on every cached document (feeds, archives, the OPML
    /// list, the pages, the status); revalidations (304) are free. Per path, so a reader fetching many documents once each (archives) is never limited.
    /// </summary>
    // Not [ValidateObjectMembers]: ValidateDataAnnotations never looked inside (it does only where that attribute is), so
    // RateLimit's [Range] has never been enforced; PublishingOptionsValidator checks PermitLimit >= 0 and a positive Window.
    // Enforcing the attribute would refuse settings that start today.
#pragma warning disable SYSLIB1212
    public RateLimitOptions RateLimit { get; set; } = new();
#pragma warning restore SYSLIB1212

    /// <summary>
    /// The most memory the document cache (feeds, pages, status) may hold, in bytes, each document charged at the most its
    /// three codings can take.
    /// 32 MiB: a fifth of the 150 MB a 200,000-item instance is meant to peak at, which leaves the rest to the runtime, SQLite's
    /// page cache and ingestion's pages; it holds every subscription document of a few dozen sections many times over, and
    /// filtered views and archive pages come and go within it.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long CacheMaxBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Documents rendered at once (a store read, then a writer); more wait up to <see cref="RenderWaitTimeout"/>. Half the
    /// processors, at least one, so that readers of cached documents keep the other half however many renderings are asked for.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentRenders { get; set; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// How long a request waits for a rendering slot before it is answered 503 with Retry-After. Long enough to ride out the
    /// burst after a change (every document rendered afresh), short beside a feed reader's own timeout.
    /// </summary>
    public TimeSpan RenderWaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Benchmarks only: adds <c>/bench/static</c>, plain bytes the size of a feed, to compare the feed path against.</summary>
    public bool BenchStaticEndpoint { get; set; }
}

/// <summary>Settings under <c>Publishing:RateLimit:</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Full responses a client may get of one document (its query aside) per <see cref="Window"/>; 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int PermitLimit { get; set; } = 120;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Checks the attributes of <see cref="PublishingOptions"/> at start, as ValidateDataAnnotations did, with code generated at compile time
/// (the Native AOT binary cannot read them by reflection).
/// </summary>
[OptionsValidator]
internal sealed partial class PublishingOptionsAttributesValidator : IValidateOptions<PublishingOptions>;
