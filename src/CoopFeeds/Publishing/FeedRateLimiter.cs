using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

/// <summary>
/// A fixed window of full responses per client address (after trusted forwarded headers). It is asked only once a request
/// is known to need a body, so a reader revalidating with a matching ETag (304) is never limited (checklist 6.10:
/// FreshRSS backs off per host, so a 429 on one section would delay all of them).
/// </summary>
/// <remarks>
/// The ASP.NET rate-limiting middleware decides before the endpoint runs, when it cannot yet know whether the answer is a 304;
/// this uses the same System.Threading.RateLimiting limiters from inside the response path instead.
/// </remarks>
public sealed class FeedRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress>? _limiter;

    public FeedRateLimiter(IOptions<PublishingOptions> options)
    {
        var limit = options.Value.RateLimit;
        if (limit.PermitLimit <= 0) return;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(client => RateLimitPartition.GetFixedWindowLimiter(client, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit.PermitLimit,
                Window = limit.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Takes one permit for the client; on refusal, the whole seconds to wait (RFC 6585 §4, RFC 9110 §10.2.3).</summary>
    public bool TryAcquire(HttpContext context, out int retryAfterSeconds)
    {
        retryAfterSeconds = 0;
        if (_limiter is null) return true;
        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired) return true;
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        return false;
    }

    public void Dispose() => _limiter?.Dispose();
}
