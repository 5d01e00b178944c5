using System.Net.Sockets;
using CoopFeeds.Status;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

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
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Ingestion:RequestTimeout must be positive")
            .Validate(o => o.PerHostDelay >= TimeSpan.Zero, "Ingestion:PerHostDelay must not be negative")
            .Validate(o => o.MaxBackoff > TimeSpan.Zero, "Ingestion:MaxBackoff must be positive")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<CoopFeedsMetrics>();
        services.TryAddSingleton<HostGate>();
        services.TryAddSingleton<RobotsCache>();
        foreach (var origin in Enum.GetValues<NetworkScope>())
        {
            services.AddHttpClient(ListingFetcher.HttpClientNameFor(origin), (sp, client) =>
                {
                    var options = sp.GetRequiredService<IOptions<IngestionOptions>>().Value;
                    if (!client.DefaultRequestHeaders.UserAgent.TryParseAdd(options.EffectiveUserAgent))
                        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.EffectiveUserAgent);
                    client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                })
                .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    // The fetcher follows redirects itself, checking each hop against the network policy first.
                    AllowAutoRedirect = false,
                    AutomaticDecompression = System.Net.DecompressionMethods.All,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    ConnectCallback = (context, cancellationToken) => ConnectCheckedAsync(origin, context, cancellationToken),
                })
                .AddStandardResilienceHandler()
                .Configure((resilience, sp) => Configure(resilience, sp.GetRequiredService<IOptions<IngestionOptions>>().Value))
                // One breaker (and one set of pipelines) per site: a site that is down opens its own circuit, nobody else's.
                .SelectPipelineByAuthority();
        }
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ListingFetcher>(sp)); // honours [ActivatorUtilitiesConstructor]

        services.AddSingleton<ListingReader>();
        services.AddSingleton<SourceIngester>();
        services.AddSingleton<IngestionReadiness>();
        services.AddSingleton<IngestionActivity>();
        services.TryAddSingleton<Publishing.FeedChangeSignal>();
        if (schedule) services.AddHostedService<IngestionWorker>();
        return builder;
    }

    private static void Configure(HttpStandardResilienceOptions resilience, IngestionOptions ingestion)
    {
        var attempt = ingestion.RequestTimeout;
        resilience.AttemptTimeout.Timeout = attempt;
        resilience.Retry.MaxRetryAttempts = Math.Max(ingestion.MaxRetries, 1);
        resilience.Retry.Delay = ingestion.RetryBaseDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
            ingestion.MaxRetries > 0 && ShouldRetry(args.Outcome, ingestion.MaxRetryAfterWait));
        // Every attempt, every backoff delay and the longest Retry-After we wait, with room to spare.
        var delays = TimeSpan.FromTicks(ingestion.RetryBaseDelay.Ticks * ((1L << Math.Min(ingestion.MaxRetries, 20)) - 1) * 2);
        resilience.TotalRequestTimeout.Timeout = attempt * (ingestion.MaxRetries + 1) + delays + ingestion.MaxRetryAfterWait + TimeSpan.FromSeconds(5);
        // The breaker's sampling window must be at least twice the attempt timeout.
        resilience.CircuitBreaker.SamplingDuration = attempt * 2 + TimeSpan.FromSeconds(1);
    }

    /// <summary>Transient failures only; never a refused address, and never a Retry-After longer than we wait inside one fetch.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfterWait)
    {
        for (var ex = outcome.Exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is AddressRefusedException) return false;
        }
        if (!HttpClientResiliencePredicates.IsTransient(outcome)) return false;
        if (outcome.Result is { } response && ListingFetcher.RetryAfterOf(response, TimeProvider.System) is { } wait && wait > maxRetryAfterWait)
            return false;
        return true;
    }

    /// <summary>
    /// Connects only to addresses a source on <paramref name="origin"/> may reach (<see cref="NetworkScopes.Permits"/>), checked on the address
    /// actually dialled, so a name that resolves differently at connect time cannot reach a private or metadata address.
    /// </summary>
    private static async ValueTask<Stream> ConnectCheckedAsync(NetworkScope origin, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await NetworkScopes.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        var permitted = addresses.Where(a => NetworkScopes.Permits(origin, NetworkScopes.Of(a))).ToList();
        if (permitted.Count == 0)
        {
            throw new AddressRefusedException(
                $"{host} resolves to {string.Join(", ", addresses.Select(a => $"{a} ({NetworkScopes.Of(a)})"))}, a network the source's URL is not on: not connecting");
        }

        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception ex) when (ex is SocketException)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
