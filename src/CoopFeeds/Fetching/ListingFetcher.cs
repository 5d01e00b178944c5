using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Telemetry;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CoopFeeds.Fetching;

/// <summary>
/// Fetches one page of a listing: http(s) through the resilient <see cref="HttpClient"/>, saved pages from disk.
/// Every way a fetch can end is named here, once (compare Miniflux's response_handler.go).
/// </summary>
/// <remarks>
/// Politeness and safety sit here, around each request: robots.txt (RFC 9309), one request at a time per host
/// (<see cref="HostGate"/>), and redirects followed by hand (the handler's AllowAutoRedirect is off) so that each hop is
/// checked against the network rule before it is requested. A hop to an address is judged here; every connection, to a
/// name or an address, is judged again at connect time on the addresses actually dialled (<see cref="FetchingRegistration"/>).
/// Saved pages are read from disk, inside the source's folder and never past <see cref="FetchOptions.MaxBodyBytes"/>.
/// </remarks>
public sealed class ListingFetcher(
    IHttpClientFactory clients,
    HostGate gate,
    RobotsCache robots,
    OpenCircuits circuits,
    CoopFeedsMetrics metrics,
    IOptions<FetchOptions> options,
    TimeProvider clock,
    ILogger<ListingFetcher> logger)
{
    public const string HttpClientName = "listings";

    /// <summary>
    /// One named client per <see cref="NetworkReach"/>, each with its own connection pool and a connect callback bound to it:
    /// a pooled connection opened for a source allowed on private networks can never carry a request of one that is not.
    /// </summary>
    public static string HttpClientNameFor(NetworkReach reach) => $"{HttpClientName}-{reach.ToString().ToLowerInvariant()}";

    private readonly FetchOptions _options = options.Value;

    public async Task<FetchResult> FetchAsync(Uri url, ConditionalValidators validators, FetchPolicy policy, CancellationToken cancellationToken)
    {
        if (url.IsFile) return await ReadFileAsync(url, policy.FileRoot, cancellationToken);

        var started = clock.GetTimestamp();
        var result = await FetchHttpAsync(url, validators, policy, robotsFile: false, cancellationToken);
        metrics.RecordFetch(result.Outcome.Kind, clock.GetElapsedTime(started));
        if (!result.HasBody && result.Outcome.Kind != OutcomeKind.NotModified)
            logger.LogDebug("Fetching {Url} ended {Outcome} {StatusCode}: {Detail}", UrlRedactor.Redact(url), result.Outcome.Kind, result.Outcome.StatusCode, UrlRedactor.RedactText(result.Outcome.Detail ?? ""));
        return result;
    }

    private async Task<FetchResult> FetchHttpAsync(
        Uri url, ConditionalValidators validators, FetchPolicy policy, bool robotsFile, CancellationToken cancellationToken)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            if (current.Scheme is not ("http" or "https"))
                return FetchResult.Failed(OutcomeKind.RedirectRefused, $"{Describe(hop)} {current} refused: only http and https are fetched");
            // An address is judged now, before robots.txt or the host's turn; a name when its connection is opened.
            if (NetworkRule.LiteralOf(current.IdnHost) is { } literal
                && NetworkRule.Refusal(policy.Reach, current.IdnHost, [literal], byLiteral: true) is { } refused)
                return FetchResult.Failed(RefusedKind(hop), $"{Describe(hop)} {current} refused: {refused}");

            if (policy.RespectRobots && !robotsFile)
            {
                var refusal = await CheckRobotsAsync(current, policy, cancellationToken);
                // robots.txt is on this hop's host, so the rule refused that host: the source's own, or one a redirect led to.
                if (refusal is { Outcome.Kind: OutcomeKind.AddressRefused }) return refusal with { Outcome = refusal.Outcome with { Kind = RefusedKind(hop) } };
                if (refusal is not null) return refusal;
            }

            using var lease = await gate.EnterAsync(current.IdnHost, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            request.Headers.Accept.ParseAdd(robotsFile ? "text/plain,*/*;q=0.5" : "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
            if (validators.ETag is { Length: > 0 } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
                request.Headers.IfNoneMatch.Add(tag);
            if (validators.LastModified is { Length: > 0 } lastModified && DateTimeOffset.TryParse(lastModified, out var since))
                request.Headers.IfModifiedSince = since;

            HttpResponseMessage response;
            try
            {
                response = await clients.CreateClient(HttpClientNameFor(policy.Reach)).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is TimeoutRejectedException or TaskCanceledException or TimeoutException)
            {
                return FetchResult.Failed(OutcomeKind.Timeout, $"no answer from {current.Authority} within {_options.RequestTimeout:c}");
            }
            catch (BrokenCircuitException)
            {
                var cause = circuits.CauseOf(current.Authority) is { } last ? $" (last: {last})" : "";
                return FetchResult.Failed(OutcomeKind.CircuitOpen,
                    $"circuit open for {current.Authority}: half or more of its last requests failed{cause}; not asked again for up to {_options.CircuitBreakDuration:c}");
            }
            catch (HttpRequestException ex)
            {
                return Classify(ex, current, hop);
            }

            using (response)
            {
                if (IsRedirect(response.StatusCode))
                {
                    var location = response.Headers.Location;
                    if (location is null)
                        return FetchResult.Failed(OutcomeKind.HttpError, $"HTTP {(int)response.StatusCode} without a Location header", (int)response.StatusCode);
                    if (hop >= _options.MaxRedirects)
                    {
                        return FetchResult.Failed(OutcomeKind.TooManyRedirects,
                            $"more than {_options.MaxRedirects} redirects (the last from {current} to {location})", (int)response.StatusCode);
                    }
                    current = new UriBuilder(new Uri(current, location)) { Fragment = "" }.Uri;
                    continue;
                }

                return await ReadResponseAsync(response, current, robotsFile, cancellationToken);
            }
        }
    }

    /// <summary>Null when robots.txt lets us fetch <paramref name="url"/>; else why not, as the source's outcome.</summary>
    private async Task<FetchResult?> CheckRobotsAsync(Uri url, FetchPolicy policy, CancellationToken cancellationToken)
    {
        var rules = robots.GetFresh(url);
        using var fetching = rules is null ? await robots.LockAsync(url, cancellationToken) : null;
        rules ??= robots.GetFresh(url);
        if (rules is null)
        {
            var robotsUrl = new Uri(url, "/robots.txt");
            var fetched = await FetchHttpAsync(robotsUrl, ConditionalValidators.None, policy, robotsFile: true, cancellationToken);
            switch (fetched.Outcome.Kind)
            {
                case OutcomeKind.AddressRefused:
                    return fetched; // the rule refuses the host itself: its pages would be refused as well
                case OutcomeKind.Success:
                    rules = RobotsRules.Parse(Encoding.UTF8.GetString(fetched.Body!), _options.UserAgent);
                    robots.Set(url, rules);
                    break;
                case OutcomeKind.Empty or OutcomeKind.NotFound or OutcomeKind.Gone or OutcomeKind.Forbidden or OutcomeKind.HttpError:
                    // RFC 9309 2.3.1.3: robots.txt "unavailable" (4xx) means no restriction.
                    rules = RobotsRules.AllowAll;
                    robots.Set(url, rules);
                    break;
                default:
                    // RFC 9309 2.3.1.4: "unreachable" (5xx, network, 429) means complete disallow, unless we still hold older rules.
                    rules = robots.GetAny(url);
                    if (rules is null)
                    {
                        return fetched with
                        {
                            Outcome = fetched.Outcome with
                            {
                                Detail = $"robots.txt of {url.Authority} could not be fetched ({fetched.Outcome.Detail}); its pages are not fetched until it can be",
                            },
                        };
                    }
                    break;
            }
        }

        if (rules.Allows(url)) return null;
        return FetchResult.Failed(OutcomeKind.RobotsDisallowed,
            $"robots.txt of {url.Authority} disallows {url.PathAndQuery} ({rules.DecidingRule(url)}); \"RespectRobots\": false on the source overrides it");
    }

    private async Task<FetchResult> ReadResponseAsync(HttpResponseMessage response, Uri finalUrl, bool robotsFile, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NotModified)
            return new FetchResult { Outcome = new() { Kind = OutcomeKind.NotModified, StatusCode = status, Detail = "not modified since the last good fetch" }, FinalUrl = finalUrl };

        if (!response.IsSuccessStatusCode)
        {
            var kind = response.StatusCode switch
            {
                HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => OutcomeKind.Forbidden,
                HttpStatusCode.NotFound => OutcomeKind.NotFound,
                HttpStatusCode.Gone => OutcomeKind.Gone,
                HttpStatusCode.TooManyRequests => OutcomeKind.TooManyRequests,
                _ when status >= 500 => OutcomeKind.ServerError,
                _ => OutcomeKind.HttpError,
            };
            var retryAfter = RetryAfterOf(response, clock);
            var detail = $"HTTP {status} {response.ReasonPhrase}".TrimEnd() + $" from {finalUrl}"
                + (retryAfter is { } wait ? $" (Retry-After {wait:c})" : "");
            return new FetchResult { Outcome = new() { Kind = kind, StatusCode = status, Detail = detail, RetryAfter = retryAfter }, FinalUrl = finalUrl };
        }

        var contentType = response.Content.Headers.ContentType;
        if (!robotsFile && contentType?.MediaType is { } media && !IsHtml(media))
            return FetchResult.Failed(OutcomeKind.NotHtml, $"content type is {media}, not HTML", status);

        var limit = robotsFile ? RobotsRules.MaxBytes : _options.MaxBodyBytes;
        if (!robotsFile && response.Content.Headers.ContentLength > limit)
            return TooLarge(status, response.Content.Headers.ContentLength);

        byte[]? body;
        // The resilience pipeline's timeouts end with the headers; the body gets its own, or a trickling site would hold us for ever.
        using (var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            bodyTimeout.CancelAfter(_options.RequestTimeout);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(bodyTimeout.Token);
                body = await ReadLimitedAsync(stream, limit, truncate: robotsFile, bodyTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return FetchResult.Failed(OutcomeKind.Timeout, $"the body of {finalUrl} did not arrive within {_options.RequestTimeout:c}", status);
            }
            catch (HttpRequestException ex)
            {
                var failed = Classify(ex, finalUrl, hop: 0);
                return failed with { Outcome = failed.Outcome with { StatusCode = status } };
            }
            catch (IOException ex)
            {
                return FetchResult.Failed(OutcomeKind.Connection, $"the connection broke while reading the body: {ex.Message}", status);
            }
        }
        if (body is null) return TooLarge(status, null);
        if (body.Length == 0) return FetchResult.Failed(OutcomeKind.Empty, "the response body is empty", status);

        return new FetchResult
        {
            Outcome = new()
            {
                Kind = OutcomeKind.Success,
                StatusCode = status,
                Validators = new(response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("r")),
            },
            Body = body,
            ContentType = contentType?.ToString(),
            FinalUrl = finalUrl,
        };
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes; past it, gives up (null) or keeps the start, without reading the rest.</summary>
    /// <remarks>
    /// The body is gathered in pooled chunks and copied once into an array of its length: a page is allocated once, where a
    /// growing MemoryStream and its ToArray made two or three large-object copies of it (bench/README.md, "Page bodies").
    /// </remarks>
    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, long limit, bool truncate, CancellationToken cancellationToken)
    {
        const int ChunkLength = 16 * 1024;
        var chunks = new List<byte[]>();
        long length = 0;
        var filled = ChunkLength; // of the last chunk
        try
        {
            while (true)
            {
                if (filled == ChunkLength)
                {
                    chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkLength));
                    filled = 0;
                }

                var read = await stream.ReadAsync(chunks[^1].AsMemory(filled, ChunkLength - filled), cancellationToken);
                if (read == 0) break;
                filled += read;
                length += read;
                if (length > limit)
                {
                    if (!truncate) return null;
                    length = limit;
                    break;
                }
            }

            var body = new byte[length];
            for (var i = 0; i * (long)ChunkLength < length; i++)
            {
                var offset = i * ChunkLength;
                chunks[i].AsSpan(0, (int)Math.Min(ChunkLength, length - offset)).CopyTo(body.AsSpan(offset));
            }

            return body;
        }
        finally
        {
            foreach (var chunk in chunks) ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Retry-After as a delay (RFC 9110 10.2.3: seconds or an HTTP date), when the response carries one.</summary>
    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, TimeProvider clock)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - clock.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static string Describe(int hop) => hop == 0 ? "fetching" : "redirect to";

    /// <summary>The source's own address refused, or one a redirect led to.</summary>
    private static OutcomeKind RefusedKind(int hop) => hop == 0 ? OutcomeKind.AddressRefused : OutcomeKind.RedirectRefused;

    private FetchResult TooLarge(int status, long? length) =>
        FetchResult.Failed(OutcomeKind.TooLarge,
            $"the body is larger than {_options.MaxBodyBytes} bytes" + (length is { } l ? $" (Content-Length {l})" : " (stopped reading)"), status);

    private static bool IsHtml(string mediaType) =>
        mediaType is "text/html" or "application/xhtml+xml" or "text/plain" or "application/xml" or "text/xml";

    /// <summary>
    /// Reads a saved page: with a <paramref name="root"/>, only a regular file inside it, links resolved at this very read
    /// (the page may have become a link since the sources file was read); without one (a path an operator typed to
    /// <c>preview</c>), the path as given. Either way never more than <see cref="FetchOptions.MaxBodyBytes"/>.
    /// </summary>
    private async Task<FetchResult> ReadFileAsync(Uri url, string? root, CancellationToken cancellationToken)
    {
        var path = url.LocalPath;
        try
        {
            if (root is not null)
            {
                if (SavedPagePath.Outside(path, root, out var resolved) is { } outside)
                    return FetchResult.Failed(OutcomeKind.FileRefused, $"{outside}: not read");
                path = resolved;
            }
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                return Directory.Exists(path)
                    ? FetchResult.Failed(OutcomeKind.FileRefused, $"'{url.LocalPath}' is a folder, not a page")
                    : FetchResult.Failed(OutcomeKind.FileMissing, $"'{url.LocalPath}' does not exist");
            }
            // Only regular files: they report their size, where devices, pipes and the kernel's /proc files report none (and
            // opening a pipe would wait for a writer), so a page of the sources file that reports no size is not opened.
            if (root is not null && file.Length == 0)
            {
                return FetchResult.Failed(OutcomeKind.Empty,
                    $"'{url.LocalPath}' has a size of 0 bytes: an empty file, or no regular file (a device, a pipe, a /proc file); not read");
            }
            if (file.Length > _options.MaxBodyBytes)
                return FetchResult.Failed(OutcomeKind.TooLarge, $"'{url.LocalPath}' is {file.Length} bytes, more than {_options.MaxBodyBytes}; not read");

            byte[]? body;
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.Asynchronous))
            {
                // Enforced while reading, whatever the size said: /dev/zero reports none and never ends.
                body = await ReadLimitedAsync(stream, _options.MaxBodyBytes, truncate: false, cancellationToken);
            }
            if (body is null)
                return FetchResult.Failed(OutcomeKind.TooLarge, $"'{url.LocalPath}' gave more than {_options.MaxBodyBytes} bytes (stopped reading)");
            if (body.Length == 0) return FetchResult.Failed(OutcomeKind.Empty, $"'{url.LocalPath}' is empty");
            // No charset: AngleSharp takes it from a BOM or <meta charset>, as a browser opening the file would.
            return new FetchResult { Outcome = new() { Kind = OutcomeKind.Success }, Body = body, ContentType = "text/html", FinalUrl = url };
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return FetchResult.Failed(OutcomeKind.FileMissing, $"'{url.LocalPath}' does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogDebug(ex, "Reading {Url} failed", url);
            return FetchResult.Failed(OutcomeKind.FileMissing, $"'{url.LocalPath}' cannot be read: {ex.Message}");
        }
    }

    private static FetchResult Classify(HttpRequestException ex, Uri url, int hop)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressRefusedException refused)
                return FetchResult.Failed(RefusedKind(hop), $"{Describe(hop)} {url} refused: {refused.Message}");
        }
        var cause = ex.InnerException;
        if (cause is AuthenticationException || ex.HttpRequestError == HttpRequestError.SecureConnectionError)
            return FetchResult.Failed(OutcomeKind.Tls, $"TLS with {url.Authority} failed: {(cause ?? ex).Message}");
        if (ex.HttpRequestError == HttpRequestError.NameResolutionError || cause is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
            return FetchResult.Failed(OutcomeKind.Connection, $"DNS lookup of {url.IdnHost} failed");
        if (cause is SocketException socket)
            return FetchResult.Failed(OutcomeKind.Connection, $"connection to {url.Authority} failed: {socket.SocketErrorCode}");
        return FetchResult.Failed(OutcomeKind.Connection, $"{url.Authority}: {ex.Message}");
    }
}
