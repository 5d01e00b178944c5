using CoopFeeds.Telemetry;
using OpenTelemetry.Metrics;

namespace CoopFeeds.Status;

public static class StatusRegistration
{
    /// <summary>
    /// Source status for maintainers (cached and served through <see cref="Serving.ServingRegistration.AddServing"/>) and the
    /// "CoopFeeds" meter, exported in Prometheus text format at <c>/metrics</c>.
    /// </summary>
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTelemetry();
        builder.Services.AddSingleton<SourceStatusReader>();
        builder.Services.AddSingleton<StatusRenderer>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CoopFeedsMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http")
            .AddPrometheusExporter());
        return builder;
    }
}
