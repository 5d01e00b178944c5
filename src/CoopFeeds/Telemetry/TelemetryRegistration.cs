namespace CoopFeeds.Telemetry;

/// <summary>
/// What the service reports about itself: the "CoopFeeds" instruments, the scheduler's activity and readiness. Ingestion
/// and publishing write them, status reads them; each area adds them, and the first to do so registers them.
/// </summary>
public static class TelemetryRegistration
{
    public static IServiceCollection AddTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<CoopFeedsMetrics>();
        services.TryAddSingleton<Changes.SourceStateSignal>();
        services.TryAddSingleton<IngestionActivity>();
        services.TryAddSingleton<IngestionReadiness>();
        return services;
    }
}
