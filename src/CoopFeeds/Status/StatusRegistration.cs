using CoopFeeds.Telemetry;
using OpenTelemetry.Metrics;

namespace CoopFeeds.Status;

public static class StatusRegistration
{
    /// <summary>
    /// Source status for maintainers (cached and served through <see cref="Serving.ServingRegistration.AddServing"/>) and the
    /// "CoopFeeds" meter, exported in Prometheus text format at <c>/metrics</c>, with .NET's own "System.Runtime" meter: the
    /// garbage collector's heap and committed memory, the process's working set, so that a memory budget can be watched.
    /// </summary>
    public static IHostApplicationBuilder AddStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTelemetry();
        builder.Services.AddSingleton<SourceStatusReader>();
        builder.Services.AddSingleton<StatusRenderer>();
        // Inserted, not replacing the chain: other areas add their own contexts, and the JIT build keeps reflection after them.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, StatusJsonContext.Default));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(CoopFeedsMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime")
            .AddPrometheusExporter());
        return builder;
    }
}
