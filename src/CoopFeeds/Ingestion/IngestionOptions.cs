using System.ComponentModel.DataAnnotations;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Ingestion;

/// <summary>Settings under <c>Ingestion:</c>. Units are in the types: durations are TimeSpans, sizes are bytes.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    [Required]
    public string UserAgent { get; set; } = "CoopFeeds/1.0 (+https://github.com/coopfeeds/coopfeeds)";

    /// <summary>Where site owners can reach the operator; appended to the User-Agent.</summary>
    public string? ContactUrl { get; set; }

    /// <summary>
    /// How long one attempt may wait for the response headers; the body then gets as long again to arrive. Each retry is a new
    /// attempt with its own limit, and the request as a whole (its attempts, backoff delays and a Retry-After wait) is cut off
    /// at (<see cref="MaxRetries"/> + 1) × this + 2 × <see cref="RetryBaseDelay"/> × (2^MaxRetries − 1) +
    /// <see cref="MaxRetryAfterWait"/> + 5 s: 3 min 3 s with the defaults. Each redirect hop and robots.txt fetch is a request
    /// of its own with that budget, and a run adds up its pages; nothing caps a whole run.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>An item's title longer than this many characters is cut at a word, with "…" (and a warning).</summary>
    [Range(1, int.MaxValue)]
    public int MaxTitleChars { get; set; } = NormalizationLimits.DefaultMaxTitleChars;

    /// <summary>
    /// An item's summary whose sanitized HTML is longer than this many characters is cut between elements or at a word, with
    /// "…" (and a warning): a page is not trusted to keep its summaries short, and every feed of the section carries them.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxSummaryChars { get; set; } = NormalizationLimits.DefaultMaxSummaryChars;

    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Minimum time between two requests to one host.</summary>
    public TimeSpan PerHostDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A first page yielding fewer than this fraction of the median of recent good counts marks the source degraded.</summary>
    [Range(0.0, 1.0)]
    public double DriftThreshold { get; set; } = 0.5;

    [Range(1, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Retries of one request after a transient failure (timeout, connection, 408, 429, 5xx), with exponential backoff and jitter.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles it (jittered).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest Retry-After (429, 503) waited inside one fetch. A longer one ends the fetch, and the source is next
    /// tried no sooner than the site asked.
    /// </summary>
    public TimeSpan MaxRetryAfterWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Requests to one site within the breaker's sampling window before it may open (and then only when half failed).
    /// Counted per attempt; the breaker uses at least MaxRetries + 2, so one fetch failing with every retry cannot open it.
    /// </summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 3;

    /// <summary>How long an open circuit refuses requests to its site before one request tries again.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest /readyz waits for the first ingest pass. Two minutes lets a pass over healthy sites finish first (a fresh
    /// store then serves full feeds), while one hanging site — four 30 s attempts with backoff — cannot hold a deployment.
    /// </summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a site's robots.txt is trusted before it is fetched again.</summary>
    public TimeSpan RobotsCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The longest a failing source waits before its next attempt (its interval doubles per consecutive failure).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Each next attempt is pushed later by a random part of the interval up to this fraction, so sources spread out.</summary>
    [Range(0.0, 0.5)]
    public double IntervalJitter { get; set; } = 0.1;

    /// <summary>The User-Agent sent: the configured one, with the contact URL as a comment (RFC 9110 10.1.5: product tokens and comments).</summary>
    public string EffectiveUserAgent => ContactUrl is { Length: > 0 } contact ? $"{UserAgent.Trim()} (+{contact.Trim()})" : UserAgent;
}
