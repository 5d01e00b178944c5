using CoopFeeds.Changes;
using CoopFeeds.Fetching;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

public static class IngestionRegistration
{
    /// <summary>The pipeline from fetch to store (the fetcher itself is <see cref="FetchingRegistration"/>'s); <paramref name="schedule"/> adds the background worker (serve only).</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder, bool schedule)
    {
        builder.AddFetching();
        var services = builder.Services;
        var options = services.AddOptions<IngestionOptions>().Bind(builder.Configuration.GetSection(IngestionOptions.Section));
        // The attributes first, as ValidateDataAnnotations ran them, so the problems are named in the same order.
        services.AddSingleton<IValidateOptions<IngestionOptions>, IngestionOptionsValidator>();
        options
            .Validate(o => o.MaxBackoff > TimeSpan.Zero, "Ingestion:MaxBackoff must be positive")
            .Validate(o => o.ReadyTimeout > TimeSpan.Zero, "Ingestion:ReadyTimeout must be positive")
            .Validate(o => o.RunTimeout > TimeSpan.Zero, "Ingestion:RunTimeout must be positive")
            .Validate(o => o.LeaseDuration is null || o.LeaseDuration > TimeSpan.Zero, "Ingestion:LeaseDuration must be positive")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddTelemetry();
        services.AddSingleton<ListingReader>();
        services.AddSingleton<SourceIngester>();
        services.AddSingleton<SourceLeases>();
        services.TryAddSingleton<FeedChangeSignal>();
        if (schedule) services.AddHostedService<IngestionWorker>();
        return builder;
    }
}
