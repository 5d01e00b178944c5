using System.Net;
using System.Net.Sockets;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace CoopFeeds.Fetching;

public static class FetchingRegistration
{
    /// <summary>
    /// The fetcher with its one network policy, per-host gate, robots.txt cache and resilient HTTP clients, for everything
    /// that reads listing pages. Several parts of the service may ask for it; the first registers it.
    /// </summary>
    public static IHostApplicationBuilder AddFetching(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (services.Any(s => s.ServiceType == typeof(ListingFetcher))) return builder;
        var options = services.AddOptions<FetchOptions>().Bind(builder.Configuration.GetSection(FetchOptions.Section));
        // The attributes first, as ValidateDataAnnotations ran them, so the problems are named in the same order.
        services.AddSingleton<IValidateOptions<FetchOptions>, FetchOptionsValidator>();
        options
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "Ingestion:RequestTimeout must be positive")
            .Validate(o => o.PerHostDelay >= TimeSpan.Zero, "Ingestion:PerHostDelay must not be negative")
            // Polly's own bounds for a break.
            .Validate(o => o.CircuitBreakDuration >= TimeSpan.FromSeconds(0.5) && o.CircuitBreakDuration <= TimeSpan.FromDays(1),
                "Ingestion:CircuitBreakDuration must be between 00:00:00.5 and 1.00:00:00")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddTelemetry();
        services.TryAddSingleton<HostGate>();
        services.TryAddSingleton<RobotsCache>();
        services.TryAddSingleton<IHostResolver, SystemHostResolver>();
        foreach (var reach in Enum.GetValues<NetworkReach>())
        {
            services.AddHttpClient(ListingFetcher.HttpClientNameFor(reach), (sp, client) =>
                {
                    var options = sp.GetRequiredService<IOptions<FetchOptions>>().Value;
                    if (!client.DefaultRequestHeaders.UserAgent.TryParseAdd(options.EffectiveUserAgent))
                        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", options.EffectiveUserAgent);
                    client.Timeout = Timeout.InfiniteTimeSpan; // the resilience pipeline owns timeouts
                })
                .ConfigurePrimaryHttpMessageHandler(sp =>
                {
                    var resolver = sp.GetRequiredService<IHostResolver>();
                    return new SocketsHttpHandler
                    {
                        // The fetcher follows redirects itself, checking each hop against the network rule first.
                        AllowAutoRedirect = false,
                        AutomaticDecompression = System.Net.DecompressionMethods.All,
                        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                        ConnectCallback = (context, cancellationToken) => ConnectCheckedAsync(reach, resolver, context, cancellationToken),
                        // Never through HTTP(S)_PROXY: the connect check judges the address dialled, which would be the
                        // proxy's, and the proxy would then reach whatever the page's address names, private ones included.
                        UseProxy = false,
                    };
                })
                .AddStandardResilienceHandler()
                .Configure((resilience, sp) => Configure(
                    resilience, sp.GetRequiredService<IOptions<FetchOptions>>().Value, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<OpenCircuits>()))
                // One breaker (and one set of pipelines) per site: a site that is down opens its own circuit, nobody else's.
                // Keyed by scheme, host and port: SelectPipelineByAuthority's key keeps a URL's user:password, and Polly logs it.
                .SelectPipelineBy(_ => request => request.RequestUri?.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped) ?? "");
        }
        services.AddSingleton<OpenCircuits>();
        services.AddSingleton<ListingFetcher>();

        return builder;
    }

    /// <summary>The failure ratio and sampling window of the breaker; see <see cref="Configure"/>.</summary>
    private const double CircuitFailureRatio = 0.5;

    private static readonly TimeSpan CircuitSamplingDuration = TimeSpan.FromMinutes(10);

    private static void Configure(HttpStandardResilienceOptions resilience, FetchOptions fetching, ILoggerFactory loggers, OpenCircuits circuits)
    {
        var attempt = fetching.RequestTimeout;
        resilience.AttemptTimeout.Timeout = attempt;
        resilience.Retry.MaxRetryAttempts = Math.Max(fetching.MaxRetries, 1);
        resilience.Retry.Delay = fetching.RetryBaseDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        // Retry-After is the scheduler's to honour, between runs: a fetch never waits on it (see ShouldRetry).
        resilience.Retry.ShouldRetryAfterHeader = false;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(fetching.MaxRetries > 0 && ShouldRetry(args.Outcome));
        // Every attempt and every backoff delay, with room to spare; the run as a whole has its own bound (Ingestion:RunTimeout).
        var delays = TimeSpan.FromTicks(fetching.RetryBaseDelay.Ticks * ((1L << Math.Min(fetching.MaxRetries, 20)) - 1) * 2);
        resilience.TotalRequestTimeout.Timeout = attempt * (fetching.MaxRetries + 1) + delays + TimeSpan.FromSeconds(5);

        // Polly's defaults (100 requests in 30 s, a 5 s break) suit a busy API client; a feed fetcher asks a site once per
        // source per interval, 1 + MaxRetries attempts a few seconds apart, so they never trip. Here: at least
        // CircuitMinimumThroughput (3) attempts to the site within 10 minutes, half of them failed, is a site that is
        // down now. 10 minutes holds several runs of a failing source (each bounded by Ingestion:RunTimeout) and the
        // sources of one site that run together. The break (5 minutes) outlasts a fetch with retries, so other sources of
        // a dead site stop asking at once, yet is shorter than any sensible interval, so the next scheduled run finds the
        // circuit half-open and one request decides. The window must also be at least twice the attempt timeout (Polly's rule).
        var window = attempt * 2 + TimeSpan.FromSeconds(1);
        resilience.CircuitBreaker.SamplingDuration = window > CircuitSamplingDuration ? window : CircuitSamplingDuration;
        // More attempts than one fetch makes (1 + MaxRetries): a single failing run then reports what failed (HTTP 500,
        // timeout…) instead of the circuit it opened; only a site that keeps failing across runs is left alone.
        resilience.CircuitBreaker.MinimumThroughput = Math.Max(fetching.CircuitMinimumThroughput, fetching.MaxRetries + 2);
        resilience.CircuitBreaker.FailureRatio = CircuitFailureRatio;
        resilience.CircuitBreaker.BreakDuration = fetching.CircuitBreakDuration;
        // A refused address is our policy, not the site failing: it must not open the site's circuit.
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(
            !IsAddressRefused(args.Outcome.Exception) && HttpClientResiliencePredicates.IsTransient(args.Outcome));
        var logger = loggers.CreateLogger(typeof(FetchingRegistration).FullName!);
        resilience.CircuitBreaker.OnOpened = args =>
        {
            var site = args.Context.GetRequestMessage()?.RequestUri;
            var cause = args.Outcome.Result is { } response
                ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd()
                : args.Outcome.Exception?.Message ?? "failures";
            if (site is not null) circuits.Opened(site.Authority, cause);
            logger.LogWarning("Circuit opened for {Site} for {BreakDuration}: {Cause}", site?.GetLeftPart(UriPartial.Authority), args.BreakDuration, cause);
            return ValueTask.CompletedTask;
        };
    }

    private static bool IsAddressRefused(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is AddressRefusedException) return true;
        }
        return false;
    }

    /// <summary>
    /// A failure worth asking again within the same fetch: a network error, a 408 or a 5xx. Never a timed-out attempt (a site
    /// that hangs once hangs again, and each wait would cost a whole RequestTimeout), a 429 or any answer carrying Retry-After
    /// (the site said when: the scheduler sets the next run from it), a refused address (our rule, not the site) or an open
    /// circuit (the breaker has decided the site is down).
    /// </summary>
    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Exception is { } exception) return exception is HttpRequestException && !IsAddressRefused(exception);
        if (outcome.Result is not { } response || response.Headers.RetryAfter is not null) return false;
        return response.StatusCode == System.Net.HttpStatusCode.RequestTimeout || (int)response.StatusCode >= 500;
    }

    /// <summary>
    /// Connects only to addresses <see cref="NetworkRule"/> lets a fetch with <paramref name="reach"/> reach, judged on the
    /// addresses actually dialled: what a name resolved to earlier, or resolves to for anyone else, decides nothing.
    /// </summary>
    private static async ValueTask<Stream> ConnectCheckedAsync(
        NetworkReach reach, IHostResolver resolver, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var literal = NetworkRule.LiteralOf(host);
        var byLiteral = literal is not null;
        IPAddress[] addresses = literal is not null ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        if (NetworkRule.Refusal(reach, host, addresses, byLiteral) is { } refusal)
            throw new AddressRefusedException($"{refusal}: not connecting");
        var permitted = addresses.Where(a => NetworkRule.Permits(reach, a, byLiteral)).ToList();

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
