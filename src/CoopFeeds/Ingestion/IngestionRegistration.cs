using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

public static class IngestionRegistration
{
    /// <summary>The pipeline from fetch to store; <paramref name="schedule"/> adds the background worker (serve only).</summary>
    public static IHostApplicationBuilder AddIngestion(this IHostApplicationBuilder builder, bool schedule)
    {
        var services = builder.Services;
        services.AddOptions<IngestionOptions>()
            .Bind(builder.Configuration.GetSection(IngestionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HttpStandardResilienceOptions>(ListingFetcher.HttpClientName)
            .Configure<IOptions<IngestionOptions>>((resilience, ingestion) =>
            {
                var timeout = ingestion.Value.RequestTimeout;
                resilience.AttemptTimeout.Timeout = timeout;
                resilience.TotalRequestTimeout.Timeout = timeout * 3 + TimeSpan.FromSeconds(10);
                // The breaker's sampling window must be at least twice the attempt timeout.
                resilience.CircuitBreaker.SamplingDuration = timeout * 2 + TimeSpan.FromSeconds(1);
            });

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<ListingFetcher>(ListingFetcher.HttpClientName, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<IngestionOptions>>().Value;
                client.DefaultRequestHeaders.UserAgent.ParseAdd(options.EffectiveUserAgent);
                client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
            })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = sp.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxRedirects,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .AddStandardResilienceHandler();

        services.AddSingleton<ListingReader>();
        services.AddSingleton<SourceIngester>();
        services.AddSingleton<IngestionReadiness>();
        services.TryAddSingleton<Publishing.FeedChangeSignal>();
        if (schedule) services.AddHostedService<IngestionWorker>();
        return builder;
    }
}
