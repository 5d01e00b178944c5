using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Fetching;

/// <summary>
/// What fetching one page gave: its <see cref="FetchOutcome"/> (a body, "not modified", or one named failure with a short
/// detail) and, on success, the body. Expected failures are values here, never exceptions.
/// </summary>
public sealed record FetchResult
{
    public required FetchOutcome Outcome { get; init; }
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }

    /// <summary>The address after redirects; relative links resolve against it.</summary>
    public Uri? FinalUrl { get; init; }

    public bool HasBody => Outcome.Kind == OutcomeKind.Success && Body is not null;

    public static FetchResult Failed(OutcomeKind kind, string detail, int? statusCode = null) =>
        new() { Outcome = new() { Kind = kind, Detail = detail, StatusCode = statusCode } };
}
