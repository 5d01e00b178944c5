using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// A fixed window of full responses per client address (after trusted forwarded headers) and document path. It is asked only
/// once a request is known to need a body, so a reader revalidating with a matching ETag (304) is never limited (checklist 6.10:
/// FreshRSS backs off per host, so a 429 on one section would delay all of them).
/// </summary>
/// <remarks>
/// <para>
/// Per document, not per client: a reader back-filling RFC 5005 archives, or subscribing to every section, fetches each
/// document once, and must not be refused after the first hundred; what the limit is for is one client fetching one document
/// over and over. The number of partitions a client can open is bounded by the documents that exist, because only an answer
/// with a body takes a permit and unknown paths answer 404 before that.
/// </para>
/// <para>
/// The path without the query: filtered views (<c>?q=</c>, <c>?category=</c>, <c>?limit=</c>) are open-ended, each a rendering
/// the cache has not seen, so keying on the query would let one client render without limit by varying it. All views of one
/// feed share the feed's permits. Each document has one path: other spellings (<c>.RSS</c>, <c>archive/01</c>, a trailing
/// slash) answer 404 before asking for a permit.
/// </para>
/// <para>
/// A document the cache does not hold yet takes its permit before it is rendered, so a client over its limit causes no rendering
/// (see <c>RenderAdmission</c>); one request never takes two permits, however many times it is asked for one.
/// </para>
/// <para>
/// The ASP.NET rate-limiting middleware decides before the endpoint runs, when it cannot yet know whether the answer is a 304;
/// this uses the same System.Threading.RateLimiting limiters from inside the response path instead.
/// </para>
/// </remarks>
public sealed class FeedRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(IPAddress Client, string Path)>? _limiter;

    public FeedRateLimiter(IOptions<PublishingOptions> options)
    {
        var limit = options.Value.RateLimit;
        if (limit.PermitLimit <= 0) return;
        _limiter = PartitionedRateLimiter.Create<(IPAddress Client, string Path), (IPAddress Client, string Path)>(
            key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = limit.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }),
            PartitionComparer.Instance);
    }

    /// <summary>
    /// Takes one permit for the client and document, unless this request already holds one; on refusal, the whole seconds to
    /// wait (RFC 6585 §4, RFC 9110 §10.2.3).
    /// </summary>
    public bool TryAcquire(HttpContext context, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_limiter is null || context.Features.Get<PermitHeld>() is not null) return true;
        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        using var lease = _limiter.AttemptAcquire((client, context.Request.Path.Value ?? ""));
        if (lease.IsAcquired)
        {
            context.Features.Set(PermitHeld.Instance);
            return true;
        }
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        return false;
    }

    public void Dispose() => _limiter?.Dispose();

    /// <summary>Marks a request that has taken its permit.</summary>
    private sealed class PermitHeld
    {
        public static readonly PermitHeld Instance = new();
    }

    private sealed class PartitionComparer : IEqualityComparer<(IPAddress Client, string Path)>
    {
        public static readonly PartitionComparer Instance = new();

        public bool Equals((IPAddress Client, string Path) x, (IPAddress Client, string Path) y) =>
            x.Client.Equals(y.Client) && string.Equals(x.Path, y.Path, StringComparison.Ordinal);

        public int GetHashCode((IPAddress Client, string Path) key) =>
            HashCode.Combine(key.Client, StringComparer.Ordinal.GetHashCode(key.Path));
    }
}
