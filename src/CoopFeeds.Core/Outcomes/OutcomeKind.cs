namespace CoopFeeds.Core.Outcomes;

/// <summary>
/// How one fetch of a listing page ended (a body, "not modified", or one named failure), or <see cref="Degraded"/>, the one
/// way a run ends that no fetch does. Expected failures are values, named once here: the fetcher says how a fetch ended
/// (<see cref="FetchOutcome"/>) and a run may add its verdict. One list, because the store, the status pages and the
/// metrics name both alike; add new kinds at the end, since <c>/api/sources/{id}</c> shows them by number.
/// </summary>
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
    /// <summary>A redirect (or next page) led to a network the source's configured URL is not on (loopback, private, link-local).</summary>
    RedirectRefused,
    /// <summary>More redirects than Ingestion:MaxRedirects, or a redirect loop.</summary>
    TooManyRedirects,
    FileMissing,
    /// <summary>
    /// Not asked: the site's circuit breaker is open after too many recent failures (this source's or another of the same
    /// site), and stays open for Ingestion:CircuitBreakDuration before one request tries again.
    /// </summary>
    CircuitOpen,
    /// <summary>
    /// A run's verdict, never a fetch's: the page was fetched (<see cref="Success"/>) but its selectors yielded far fewer
    /// items than usual (layout drift).
    /// </summary>
    Degraded,
    /// <summary>
    /// The page was fetched but not parsed: its elements nest deeper than any listing does (a hostile or broken page, whose
    /// parse would take minutes of CPU).
    /// </summary>
    TooDeeplyNested,
    /// <summary>
    /// The source's own address is one the network rule does not let it reach: a host name resolving to a loopback, private
    /// or link-local address (without AllowPrivateNetworks, or link-local at all).
    /// </summary>
    AddressRefused,
    /// <summary>A saved page outside the sources file's folder (or Sources:FileRoot) once links are resolved, or a folder.</summary>
    FileRefused,
    /// <summary>The run ended with an exception no other outcome names (a bug); the detail is its type and message.</summary>
    InternalError,
}
