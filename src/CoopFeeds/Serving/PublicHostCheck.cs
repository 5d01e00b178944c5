using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// Answers 400 to a request for a page or document that writes absolute links (marked with
/// <see cref="PublicHostEndpoints.BuildsPublicUrls{TBuilder}"/>) when those links would come from a Host header that makes no
/// URL (see <see cref="PublicUrls.CanBuildFrom"/>), instead of letting the endpoint throw: RFC 9112 §3.2 asks for a 400 on a
/// Host the server cannot use. With Publishing:PublicBaseUrl set the Host is never read, so nothing is checked.
/// </summary>
/// <remarks>
/// A client can send such requests as fast as it likes, so they are logged as one line a minute at most, with the count.
/// </remarks>
public sealed class PublicHostCheck(RequestDelegate next, IOptions<PublishingOptions> options, TimeProvider clock, ILogger<PublicHostCheck> logger)
{
    private static readonly TimeSpan LogInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest Host value a log line repeats.</summary>
    private const int MaxLoggedHost = 100;

    private readonly bool _hostUnused = options.Value.PublicBaseUrl is not null;

    // The last Host found good: nearly every request names one of very few hosts, so it is checked once, not per request.
    private string? _lastGoodHost;

    private long _refusedSinceLog;
    private long _nextLogTicks;

    public Task InvokeAsync(HttpContext context)
    {
        if (_hostUnused || context.GetEndpoint()?.Metadata.GetMetadata<BuildsPublicUrlsMetadata>() is null) return next(context);

        var host = context.Request.Headers.Host.ToString();
        if (ReferenceEquals(host, _lastGoodHost) || string.Equals(host, Volatile.Read(ref _lastGoodHost), StringComparison.Ordinal)) return next(context);
        if (PublicUrls.CanBuildFrom(context.Request))
        {
            Volatile.Write(ref _lastGoodHost, host);
            return next(context);
        }

        Report(host);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Bad request: the Host header names no host this service can write links to.\n");
    }

    private void Report(string host)
    {
        Interlocked.Increment(ref _refusedSinceLog);
        var now = clock.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _nextLogTicks);
        if (now < next || Interlocked.CompareExchange(ref _nextLogTicks, now + LogInterval.Ticks, next) != next) return;

        var count = Interlocked.Exchange(ref _refusedSinceLog, 0);
        logger.LogWarning("Answered 400 to {RequestCount} requests whose Host header makes no URL, the latest '{Host}' (one line a minute at most)",
            count, host.Length > MaxLoggedHost ? host[..MaxLoggedHost] + "…" : host);
    }
}

/// <summary>Marks an endpoint that writes absolute links built from the request (<see cref="PublicUrls.For"/>).</summary>
public sealed class BuildsPublicUrlsMetadata
{
    public static readonly BuildsPublicUrlsMetadata Instance = new();

    private BuildsPublicUrlsMetadata()
    {
    }
}

public static class PublicHostEndpoints
{
    /// <summary>The endpoint writes absolute links built from the request: <see cref="PublicHostCheck"/> answers 400 to a Host that makes none.</summary>
    public static TBuilder BuildsPublicUrls<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(BuildsPublicUrlsMetadata.Instance);
}
