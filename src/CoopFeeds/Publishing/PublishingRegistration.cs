namespace CoopFeeds.Publishing;

public static class PublishingRegistration
{
    public static IHostApplicationBuilder AddPublishing(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublishingOptions>()
            .Bind(builder.Configuration.GetSection(PublishingOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl is null || o.PublicBaseUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Publishing:PublicBaseUrl must be an absolute http(s) URL")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<FeedChangeSignal>();
        builder.Services.AddSingleton<FeedCache>();
        builder.Services.AddSingleton<FeedRenderer>();
        return builder;
    }

    public static IEndpointRouteBuilder MapPublishing(this IEndpointRouteBuilder app) =>
        app.MapFeedEndpoints().MapPageEndpoints();
}
