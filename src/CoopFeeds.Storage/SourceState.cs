using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Storage;

/// <summary>Health of a source as maintainers see it.</summary>
public enum SourceHealth
{
    Healthy,
    Degraded,
    Failing,
    Disabled,
}

/// <summary>One run of a source, as recorded with its items: what its first page's fetch gave, and what the run made of it.</summary>
public sealed record IngestOutcome
{
    /// <summary>What fetching the first page gave: kind, HTTP status, detail, validators and Retry-After.</summary>
    public required FetchOutcome Fetch { get; init; }

    public required DateTimeOffset AttemptedAt { get; init; }

    /// <summary>
    /// The run's verdict on a page that was fetched: what layout drift it found (the first page gave far fewer items than
    /// usual), which makes the run <see cref="OutcomeKind.Degraded"/>; null when it found none.
    /// </summary>
    public string? Drift { get; init; }

    /// <summary>Items extracted from all pages, and from the first page alone (layout-drift detection compares it).</summary>
    public int ItemsFound { get; init; }
    public int? FirstPageItemCount { get; init; }

    /// <summary>When the source is due next, as the scheduler decided.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The fingerprint of the source's definition this run used (see <see cref="SourceState.DefinitionFingerprint"/>).</summary>
    public string? DefinitionFingerprint { get; init; }

    /// <summary>How the run ended: as its fetch did, or <see cref="OutcomeKind.Degraded"/> when it found drift.</summary>
    public OutcomeKind Kind => Drift is null ? Fetch.Kind : OutcomeKind.Degraded;

    public bool IsSuccess => Kind is OutcomeKind.Success or OutcomeKind.NotModified;

    /// <summary>The run's detail: the drift found, or the fetch's.</summary>
    public string? Detail => Drift ?? Fetch.Detail;

    /// <summary>What went wrong: the detail of a run that was not good; null for a good one.</summary>
    public string? Error => IsSuccess ? null : Detail;

    /// <summary>
    /// A run read back from what a store keeps of it: its <see cref="Kind"/>, HTTP status, a detail (its
    /// <see cref="Error"/> or <see cref="Detail"/>) and when it was attempted. A degraded run's fetch succeeded.
    /// </summary>
    public static IngestOutcome Stored(OutcomeKind kind, int? statusCode, string? detail, DateTimeOffset attemptedAt)
    {
        var degraded = kind == OutcomeKind.Degraded;
        return new IngestOutcome
        {
            Fetch = new FetchOutcome
            {
                Kind = degraded ? OutcomeKind.Success : kind,
                StatusCode = statusCode,
                Detail = degraded ? null : detail,
            },
            AttemptedAt = attemptedAt,
            // A degraded run always says what drifted; an empty verdict still marks it degraded.
            Drift = degraded ? detail ?? "" : null,
        };
    }
}

/// <summary>What the store knows of a source: its last run and its history of runs in short.</summary>
public sealed record SourceState
{
    public required string SourceId { get; init; }
    public required string Section { get; init; }
    public required SourceHealth Health { get; init; }

    /// <summary>
    /// The last run, as the store keeps it: when, its <see cref="IngestOutcome.Kind"/> and HTTP status, its
    /// <see cref="IngestOutcome.Error"/>, the items it found and when the source is due next. The rest of the run is folded
    /// into the fields below (validators, counts and fingerprint of the last good run), so it reads back empty here.
    /// </summary>
    public required IngestOutcome LastRun { get; init; }

    public DateTimeOffset? LastSuccessAt { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int ItemsNew { get; init; }
    public int ItemsUpdated { get; init; }

    /// <summary>The validators of the last good response, sent back on the next conditional request.</summary>
    public ConditionalValidators Validators { get; init; } = ConditionalValidators.None;

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
