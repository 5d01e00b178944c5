namespace CoopFeeds.Storage;

/// <summary>How one ingest run of a source ended. Expected failures are values, named once here.</summary>
public enum OutcomeKind
{
    Success,
    NotModified,
    Timeout,
    Connection,
    Tls,
    Forbidden,
    NotFound,
    Gone,
    TooManyRequests,
    ServerError,
    HttpError,
    TooLarge,
    NotHtml,
    Empty,
    RobotsDisallowed,
    /// <summary>A redirect (or next page) led to an address the network rule does not let the source reach.</summary>
    RedirectRefused,
    /// <summary>
    /// The source's own address is one the network rule does not let it reach: a host name resolving to a loopback, private
    /// or link-local address (without AllowPrivateNetworks, or link-local at all).
    /// </summary>
    AddressRefused,
    /// <summary>More redirects than Ingestion:MaxRedirects, or a redirect loop.</summary>
    TooManyRedirects,
    FileMissing,
    /// <summary>A saved page outside the sources file's folder (or Sources:FileRoot) once links are resolved, or a folder.</summary>
    FileRefused,
    /// <summary>
    /// Not asked: the site's circuit breaker is open after too many recent failures (this source's or another of the same
    /// site), and stays open for Ingestion:CircuitBreakDuration before one request tries again.
    /// </summary>
    CircuitOpen,
    /// <summary>The page was fetched but selectors yielded far fewer items than usual (layout drift).</summary>
    Degraded,
    /// <summary>The run ended with an exception no other outcome names (a bug); the detail is its type and message.</summary>
    InternalError,
}

/// <summary>Health of a source as maintainers see it.</summary>
public enum SourceHealth
{
    Healthy,
    Degraded,
    Failing,
    Disabled,
}

/// <summary>One run of a source, as recorded with its items.</summary>
public sealed record IngestOutcome
{
    public required OutcomeKind Kind { get; init; }
    public required DateTimeOffset AttemptedAt { get; init; }
    public string? Detail { get; init; }
    public int? HttpStatus { get; init; }

    /// <summary>Validators the source sent, for the next conditional request.</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>Items extracted from all pages, and from the first page alone (layout-drift detection compares it).</summary>
    public int ItemsFound { get; init; }
    public int? FirstPageItemCount { get; init; }

    /// <summary>When the source is due next, as the scheduler decided.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The fingerprint of the source's definition this run used (see <see cref="SourceState.DefinitionFingerprint"/>).</summary>
    public string? DefinitionFingerprint { get; init; }

    public bool IsSuccess => Kind is OutcomeKind.Success or OutcomeKind.NotModified;
}

/// <summary>What the store knows of a source: its last run and its history of runs in short.</summary>
public sealed record SourceState
{
    public required string SourceId { get; init; }
    public required string Section { get; init; }
    public required SourceHealth Health { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public OutcomeKind? LastOutcome { get; init; }
    public int? LastHttpStatus { get; init; }
    public string? LastError { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int ItemsFound { get; init; }
    public int ItemsNew { get; init; }
    public int ItemsUpdated { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>First-page item counts of the last good runs, newest last (for layout-drift detection).</summary>
    public IReadOnlyList<int> RecentFirstPageCounts { get; init; } = [];

    /// <summary>
    /// The fingerprint of the definition that last read the page (null when never recorded). The validators and the counts
    /// above belong to that definition: once the source is edited they say nothing of what the new selectors will find.
    /// </summary>
    public string? DefinitionFingerprint { get; init; }

    public int StoredItemCount { get; init; }
}

/// <summary>
/// One change of a source's health, recorded with the run that caused it: from null (its first run) or one health to another.
/// <see cref="Sequence"/> increases with every change and never repeats, so it names the change for ever (status feed ids).
/// </summary>
public sealed record SourceStateChange
{
    public required long Sequence { get; init; }
    public required string SourceId { get; init; }
    public required string Section { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
    public SourceHealth? From { get; init; }
    public required SourceHealth To { get; init; }
    public required OutcomeKind Outcome { get; init; }
    public int? HttpStatus { get; init; }
    public string? Detail { get; init; }

    /// <summary>Back to healthy after being degraded or failing.</summary>
    public bool IsRecovery => To == SourceHealth.Healthy && From is not null and not SourceHealth.Healthy;
}
