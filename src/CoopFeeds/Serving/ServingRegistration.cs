using System.Net;
using CoopFeeds.Changes;
using CoopFeeds.Serving.Pages;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Serving;

/// <summary>
/// How every document the service renders goes out over HTTP — the feeds and pages (publishing) and the status documents
/// (status) alike: the settings under <c>Publishing:</c>, the one cache of rendered documents and its render gate,
/// forwarded headers from trusted proxies only, the Host check and the rate limit.
/// </summary>
public static class ServingRegistration
{
    public static IHostApplicationBuilder AddServing(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PublishingOptions.Section);
        builder.AddPublishingOptions();
        builder.Services.AddSingleton<FeedRateLimiter>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        // One cache of rendered documents for every area that serves them, kept current by the change signals.
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<FeedChangeSignal>();
        builder.Services.TryAddSingleton<SourceStateSignal>();
        builder.Services.AddSingleton<RenderGate>();
        builder.Services.AddSingleton<DocumentCache>();
        builder.Services.AddSingleton<RenderAdmission>();
        builder.Services.AddPages();

        var configured = section.Get<PublishingOptions>() ?? new PublishingOptions();
        // Forwarded headers are believed from the listed proxies only. The framework's defaults trust loopback, and empty lists
        // would trust everyone, so both lists are replaced; with no proxies listed the middleware is not used at all.
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in configured.TrustedProxies)
            {
                if (proxy.Contains('/') && System.Net.IPNetwork.TryParse(proxy, out var network)) forwarded.KnownIPNetworks.Add(network);
                else if (IPAddress.TryParse(proxy, out var address)) forwarded.KnownProxies.Add(address);
            }
        });

        return builder;
    }

    /// <summary>
    /// The settings under <c>Publishing:</c>, checked at start with every problem named; also for the verbs that ping the
    /// WebSub hub without serving anything (<c>ingest</c>, <c>purge</c>). Once per host: a list bound twice holds each entry twice.
    /// </summary>
    public static IHostApplicationBuilder AddPublishingOptions(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PublishingOptions>()
            .Bind(builder.Configuration.GetSection(PublishingOptions.Section))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PublishingOptions>, PublishingOptionsAttributesValidator>();
        builder.Services.AddSingleton<IValidateOptions<PublishingOptions>, PublishingOptionsValidator>();
        return builder;
    }

    /// <summary>
    /// Middleware every public document needs before the endpoints: forwarded headers from trusted proxies only, then the
    /// check of the Host its links are built from (which needs the endpoint routing has already chosen).
    /// </summary>
    public static WebApplication UseServing(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<PublishingOptions>>().Value.TrustedProxies.Count > 0) app.UseForwardedHeaders();
        app.UseMiddleware<PublicHostCheck>();
        return app;
    }
}

/// <summary>Checks Publishing settings at start and names every problem at once.</summary>
internal sealed class PublishingOptionsValidator : IValidateOptions<PublishingOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishingOptions options)
    {
        var problems = new List<string>();
        if (options.PublicBaseUrl is not null && !IsAbsoluteHttp(options.PublicBaseUrl))
            problems.Add("Publishing:PublicBaseUrl must be an absolute http(s) URL");
        if (options.HubUrl is not null && !IsAbsoluteHttp(options.HubUrl))
            problems.Add("Publishing:HubUrl must be an absolute http(s) URL");
        if (options.HubUrl is not null && options.PublicBaseUrl is null)
            problems.Add("Publishing:HubUrl needs Publishing:PublicBaseUrl: the hub fetches the feeds at their public URLs");
        if (options.HubRetryDelay <= TimeSpan.Zero)
            problems.Add("Publishing:HubRetryDelay must be positive");
        if (options.StoreVersionPollInterval <= TimeSpan.Zero)
            problems.Add("Publishing:StoreVersionPollInterval must be positive");
        if (options.ArchiveMaxAge <= TimeSpan.Zero)
            problems.Add("Publishing:ArchiveMaxAge must be positive");
        if (options.RateLimit.PermitLimit < 0)
            problems.Add("Publishing:RateLimit:PermitLimit must be 0 (off) or more");
        if (options.RenderWaitTimeout < TimeSpan.Zero)
            problems.Add("Publishing:RenderWaitTimeout must be zero (no wait) or positive");
        if (options.RateLimit.Window <= TimeSpan.Zero)
            problems.Add("Publishing:RateLimit:Window must be positive");
        foreach (var proxy in options.TrustedProxies)
        {
            var valid = proxy.Contains('/') ? System.Net.IPNetwork.TryParse(proxy, out _) : IPAddress.TryParse(proxy, out _);
            if (!valid) problems.Add($"Publishing:TrustedProxies: '{proxy}' is neither an IP address nor a network like 10.0.0.0/8");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsAbsoluteHttp(Uri uri) => uri is { IsAbsoluteUri: true, Scheme: "http" or "https" };
}
