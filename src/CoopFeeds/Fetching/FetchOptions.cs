using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Fetching;

/// <summary>
/// How listing pages are fetched, for every reader of them (ingestion, <c>preview</c>, <c>check --fixtures</c>). Read from
/// <c>Ingestion:</c>, where these settings have always been, beside the scheduler's own (<c>IngestionOptions</c>). Units are in
/// the types: durations are TimeSpans, sizes are bytes.
/// </summary>
public sealed class FetchOptions
{
    public const string Section = "Ingestion";

    [Required]
    public string UserAgent { get; set; } = "CoopFeeds/1.0 (+https://github.com/coopfeeds/coopfeeds)";

    /// <summary>Where site owners can reach the operator; appended to the User-Agent.</summary>
    public string? ContactUrl { get; set; }

    /// <summary>
    /// How long one attempt may wait for the response headers; the body then gets as long again to arrive. An attempt that
    /// runs out is not retried: the fetch ends as a Timeout (a site that hangs once will hang again a few seconds later).
    /// Each request as a whole (its attempts and backoff delays) is cut off at (<see cref="MaxRetries"/> + 1) × this +
    /// 2 × <see cref="RetryBaseDelay"/> × (2^MaxRetries − 1) + 5 s; a run of a source, all its requests together, is
    /// bounded by <c>Ingestion:RunTimeout</c>.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1024, long.MaxValue)]
    public long MaxBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Minimum time between two requests to one host.</summary>
    public TimeSpan PerHostDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Retries of one request after a server error (408, 5xx) or a network error, with exponential backoff and jitter. Never
    /// after a timed-out attempt, a 429, or an answer with Retry-After: those end the fetch, and the scheduler sets the next
    /// run no sooner than the site asked.
    /// </summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles it (jittered).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Requests to one site within the breaker's sampling window before it may open (and then only when half failed).
    /// Counted per attempt; the breaker uses at least MaxRetries + 2, so one fetch failing with every retry cannot open it.
    /// </summary>
    [Range(2, 10_000)]
    public int CircuitMinimumThroughput { get; set; } = 3;

    /// <summary>How long an open circuit refuses requests to its site before one request tries again.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a site's robots.txt is trusted before it is fetched again.</summary>
    public TimeSpan RobotsCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The User-Agent sent: the configured one, with the contact URL as a comment (RFC 9110 10.1.5: product tokens and comments).</summary>
    public string EffectiveUserAgent => ContactUrl is { Length: > 0 } contact ? $"{UserAgent.Trim()} (+{contact.Trim()})" : UserAgent;
}

/// <summary>
/// Checks the attributes of <see cref="FetchOptions"/> at start, as ValidateDataAnnotations did, with code generated at compile time
/// (the Native AOT binary cannot read them by reflection).
/// </summary>
[OptionsValidator]
internal sealed partial class FetchOptionsValidator : IValidateOptions<FetchOptions>;
