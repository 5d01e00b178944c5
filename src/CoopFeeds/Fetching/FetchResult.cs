using CoopFeeds.Storage;

namespace CoopFeeds.Fetching;

/// <summary>
/// What fetching one page gave: a body, "not modified", or one named failure with a short detail.
/// Expected failures are values here, never exceptions.
/// </summary>
public sealed record FetchResult
{
    public required OutcomeKind Kind { get; init; }
    public byte[]? Body { get; init; }
    public string? ContentType { get; init; }

    /// <summary>The address after redirects; relative links resolve against it.</summary>
    public Uri? FinalUrl { get; init; }

    public int? StatusCode { get; init; }
    public string? Detail { get; init; }
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>How long the site asked us to wait (Retry-After on 429 and 503), when it did.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool HasBody => Kind == OutcomeKind.Success && Body is not null;

    public static FetchResult Failed(OutcomeKind kind, string detail, int? statusCode = null) =>
        new() { Kind = kind, Detail = detail, StatusCode = statusCode };
}

/// <summary>The validators of the last good response, sent back as If-None-Match / If-Modified-Since.</summary>
public sealed record ConditionalValidators(string? ETag, string? LastModified)
{
    public static readonly ConditionalValidators None = new(null, null);
}
