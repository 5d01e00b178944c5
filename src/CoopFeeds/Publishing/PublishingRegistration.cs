using CoopFeeds.Changes;
using CoopFeeds.Serving;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Publishing;

public static class PublishingRegistration
{
    /// <summary>
    /// The feeds and pages, what keeps them current, and the WebSub pings; they are cached and go out through
    /// <see cref="ServingRegistration.AddServing"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<FeedChangeSignal>();
        builder.Services.AddTelemetry();
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Changes other than the ingester's saves: sources file reloads, and writes to the store from elsewhere.
        builder.Services.AddHostedService<CatalogReloadNotifier>();
        builder.Services.AddSingleton<StoreVersionWatch>();
        builder.Services.AddHostedService<StoreVersionPoller>();
        builder.Services.AddHostedService<StoreNotificationListener>();
        builder.Services.AddSingleton<FeedRenderer>();
        builder.Services.AddSingleton<PageRenderer>();

        AddHubPinger(builder);
        builder.Services.AddHostedService<HubNotifier>();
        return builder;
    }

    /// <summary>
    /// For <c>ingest</c> and <c>purge</c>: WebSub pings for the changes the verb stores, sent before it exits
    /// (<see cref="HubPinger.PingWrittenChangesAsync"/>), with the Publishing: settings <c>serve</c> would read.
    /// Needs the sources file (the sections).
    /// </summary>
    public static IHostApplicationBuilder AddHubPings(this IHostApplicationBuilder builder)
    {
        builder.AddPublishingOptions();
        AddHubPinger(builder);
        return builder;
    }

    private static void AddHubPinger(IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<FeedChangeSignal>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HubPinger>();
        var configured = builder.Configuration.GetSection(PublishingOptions.Section).Get<PublishingOptions>() ?? new PublishingOptions();
        builder.Services.AddHttpClient(HubPinger.ClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("CoopFeeds-WebSub/1.0"))
            .AddStandardResilienceHandler(resilience => resilience.Retry.Delay = configured.HubRetryDelay);
    }

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder app)
    {
        app.MapFeedEndpoints().MapPageEndpoints();
        if (app.ServiceProvider.GetRequiredService<IOptions<PublishingOptions>>().Value.BenchStaticEndpoint) app.MapBenchEndpoints();
        return app;
    }
}
