namespace CoopFeeds.Core.Outcomes;

/// <summary>
/// What one fetch of a page gave, its body aside: how it ended, the HTTP status, a short detail, the validators to send
/// back and the wait the site asked for. The fetcher's result holds it beside the body; a run holds its first page's.
/// </summary>
public sealed record FetchOutcome
{
    public required OutcomeKind Kind { get; init; }
    public int? StatusCode { get; init; }
    public string? Detail { get; init; }

    /// <summary>The response's ETag and Last-Modified, for the next conditional request.</summary>
    public ConditionalValidators Validators { get; init; } = ConditionalValidators.None;

    /// <summary>How long the site asked us to wait (Retry-After on 429 and 503), when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
