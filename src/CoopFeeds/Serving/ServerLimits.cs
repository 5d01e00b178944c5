using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CoopFeeds.Serving;

/// <summary>
/// Kestrel's limits, chosen for a service of small GET requests and cached documents rather than left at the framework's
/// defaults, which let idle and slow connections pile up (2,000 idle connections stayed open under test). Each can be changed
/// with <c>Kestrel:Limits:Name</c> (<c>--Kestrel:Limits:KeepAliveTimeout=00:01:30</c>).
/// </summary>
public static class ServerLimits
{
    /// <summary>
    /// An idle connection is closed after this (Kestrel: 130 s). A reader fetches its feeds in one burst and comes back minutes
    /// later, so a long idle time only holds memory. Behind a proxy or load balancer that keeps idle connections to the service
    /// longer (AWS ALB: 60 s), raise it above the proxy's, or the proxy may send a request on a connection being closed.
    /// </summary>
    public static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(30);

    /// <summary>A request's headers must arrive within this (Kestrel: 30 s): a GET's fit in one packet; slower is a slow-loris.</summary>
    public static readonly TimeSpan RequestHeadersTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connections open at once (Kestrel: no limit); past it, new ones are closed at once. A reverse proxy needs a few dozen,
    /// direct readers rarely hundreds at a time; a thousand idle connections take a few megabytes, well inside the memory budget.
    /// </summary>
    public const long MaxConcurrentConnections = 1000;

    /// <summary>Request bodies (Kestrel: 30 MB): no endpoint reads one today; a sources file posted by a future editor fits.</summary>
    public const long MaxRequestBodySize = 1024 * 1024;

    /// <summary>Sets the limits above, then lets <c>Kestrel:Limits</c> in the configuration change any of them.</summary>
    public static IHostApplicationBuilder AddServerLimits(this IHostApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetSection("Kestrel:Limits");
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            var limits = kestrel.Limits;
            limits.KeepAliveTimeout = KeepAliveTimeout;
            limits.RequestHeadersTimeout = RequestHeadersTimeout;
            limits.MaxConcurrentConnections = MaxConcurrentConnections;
            limits.MaxRequestBodySize = MaxRequestBodySize;
            configured.Bind(limits);
        });
        return builder;
    }
}
