using Microsoft.Net.Http.Headers;

namespace CoopFeeds.Serving;

/// <summary>
/// Serves a <see cref="RenderedFeed"/> over HTTP: content coding from memory, validators and caching headers, conditional
/// requests, the rate limit, CORS and WebSub Link headers. GET and HEAD give the same status and headers.
/// </summary>
public static class FeedResponse
{
    // Checklist 6.12: a browser script may read these only when exposed (Cache-Control, Content-Type, Last-Modified already are).
    private const string ExposedHeaders = "ETag, Link";

    /// <summary>
    /// Kestrel writes a Date it refreshes once a second, so it may be up to a second old and is cut to whole seconds: a document
    /// changed less than this long ago could show a Last-Modified after it.
    /// </summary>
    private static readonly TimeSpan DateLag = TimeSpan.FromSeconds(2);

    public static IResult Send(HttpContext context, RenderedFeed feed, FeedRateLimiter limiter) =>
        Send(context, feed, limiter, out _);

    /// <param name="notModified">Whether the answer is a 304, for the caller's metrics.</param>
    public static IResult Send(HttpContext context, RenderedFeed feed, FeedRateLimiter limiter, out bool notModified)
    {
        var representation = feed.For(ContentCoding.Choose(context.Request));
        notModified = IsNotModified(context.Request, feed);

        // Only a full response costs a permit: a matching revalidation is the behaviour we want readers to have.
        if (!notModified && !limiter.TryAcquire(context, out var retryAfter)) return TooManyRequests(context, retryAfter);

        // RFC 9110 §15.4.5: a 304 carries the headers a 200 would have carried.
        var headers = context.Response.Headers;
        headers.ETag = representation.ETag;
        SetLastModified(context, feed);
        headers.CacheControl = feed.CacheControlHeader;
        headers.Vary = HeaderNames.AcceptEncoding;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = ExposedHeaders;
        if (feed.LinkHeader is not null) headers.Link = feed.LinkHeader;

        if (notModified) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        if (representation.ContentEncoding is not null) headers.ContentEncoding = representation.ContentEncoding;
        return TypedResults.Bytes(representation.Body, feed.ContentType);
    }

    /// <summary>429 with Retry-After: the client has had its full responses of this document for the window.</summary>
    public static IResult TooManyRequests(HttpContext context, int retryAfterSeconds) =>
        Refusal(context, StatusCodes.Status429TooManyRequests, retryAfterSeconds, $"Too many requests from your address; try again in {retryAfterSeconds} s.\n");

    /// <summary>503 with Retry-After: the document needed rendering and no rendering slot freed up in time.</summary>
    public static IResult ServiceUnavailable(HttpContext context, int retryAfterSeconds) =>
        Refusal(context, StatusCodes.Status503ServiceUnavailable, retryAfterSeconds, $"Busy rendering other documents; try again in {retryAfterSeconds} s.\n");

    /// <summary>RFC 9110 §10.2.3: Retry-After in whole seconds, at least one.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));

    private static IResult Refusal(HttpContext context, int statusCode, int retryAfterSeconds, string message)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers.AccessControlAllowOrigin = "*";
        return TypedResults.Text(message, statusCode: statusCode);
    }

    /// <summary>
    /// RFC 9110 §8.8.2.1: Last-Modified is never later than Date. A document changed in the last seconds (or dated ahead of
    /// this server's clock) gets both headers from one reading of the clock, Last-Modified no later than it; any other gets
    /// the header made with the rendering, which Kestrel's Date cannot precede.
    /// </summary>
    private static void SetLastModified(HttpContext context, RenderedFeed feed)
    {
        if (feed.LastModified is not { } lastModified) return;
        var headers = context.Response.Headers;
        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (lastModified <= now - DateLag)
        {
            headers.LastModified = feed.LastModifiedHeader;
            return;
        }
        headers.Date = HeaderUtilities.FormatDate(now);
        headers.LastModified = HeaderUtilities.FormatDate(lastModified < now ? lastModified : now);
    }

    /// <summary>
    /// RFC 9110 §13.1.2 and §13.2.2: If-None-Match is compared weakly (W/ ignored on either side, lists and * accepted) against
    /// every representation's tag; when If-None-Match is present, If-Modified-Since is ignored, however it compares.
    /// </summary>
    internal static bool IsNotModified(HttpRequest request, RenderedFeed feed)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch;
        if (ifNoneMatch.Count > 0)
        {
            foreach (var value in ifNoneMatch)
            {
                if (value is not null && EntityTagList.Matches(value, feed)) return true;
            }
            return false;
        }

        if (feed.LastModified is { } modified && HeaderUtilities.TryParseDate(request.Headers.IfModifiedSince.ToString(), out var since))
        {
            // HTTP dates have whole seconds.
            var lastModified = modified.ToUniversalTime();
            var truncated = new DateTimeOffset(lastModified.Ticks - lastModified.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            return truncated <= since;
        }

        return false;
    }
}

/// <summary>
/// RFC 9110 §13.1.2 If-None-Match = "*" / #entity-tag, entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, matched weakly. Read from
/// the header's characters without allocating: a 304 is the answer readers get most often. A malformed list matches nothing,
/// so the client gets the full document rather than a 304 it did not ask for.
/// </summary>
internal static class EntityTagList
{
    public static bool Matches(ReadOnlySpan<char> list, RenderedFeed feed)
    {
        var matched = false;
        var rest = list;
        while (true)
        {
            rest = rest.TrimStart(" \t,");
            if (rest.IsEmpty) return matched;
            // "*" (any current representation) stands alone; within a list it is malformed.
            if (rest[0] == '*') return list.Trim(" \t").SequenceEqual("*");
            if (rest.StartsWith("W/", StringComparison.Ordinal)) rest = rest[2..];
            if (rest.IsEmpty || rest[0] != '"') return false;
            // etagc excludes only DQUOTE (commas may appear inside a tag), so the tag ends at the next quote.
            var close = rest[1..].IndexOf('"');
            if (close < 0) return false;
            matched |= feed.IsTagOfThisDocument(rest.Slice(1, close));
            rest = rest[(close + 2)..].TrimStart(" \t");
            if (!rest.IsEmpty && rest[0] != ',') return false;
        }
    }
}

/// <summary>RFC 9110 §12.5.3: picks the content coding a client accepts, Brotli before gzip at equal preference.</summary>
public static class ContentCoding
{
    private static readonly string[] Offered = [RenderedFeed.Brotli, RenderedFeed.Gzip];

    /// <summary>The coding to send, or null for identity (no Accept-Encoding, or nothing offered is acceptable).</summary>
    public static string? Choose(HttpRequest request)
    {
        if (request.Headers.AcceptEncoding.Count == 0) return null;
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        if (accepted.Count == 0) return null;

        string? best = null;
        var bestQuality = 0.0;
        foreach (var coding in Offered)
        {
            var quality = QualityOf(accepted, coding);
            if (quality > bestQuality)
            {
                best = coding;
                bestQuality = quality;
            }
        }
        return best;
    }

    /// <summary>The explicit weight of the coding, else that of "*", else 0 (not acceptable).</summary>
    private static double QualityOf(IList<StringWithQualityHeaderValue> accepted, string coding)
    {
        double? wildcard = null;
        foreach (var value in accepted)
        {
            if (value.Value.Equals(coding, StringComparison.OrdinalIgnoreCase)) return value.Quality ?? 1.0;
            if (value.Value.Equals("*", StringComparison.Ordinal)) wildcard = value.Quality ?? 1.0;
        }
        return wildcard ?? 0.0;
    }
}
