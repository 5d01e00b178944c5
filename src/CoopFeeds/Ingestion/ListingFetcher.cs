using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CoopFeeds.Ingestion;

/// <summary>
/// Fetches one page of a listing: http(s) through the resilient <see cref="HttpClient"/>, saved pages from disk.
/// Every way a fetch can end is named here, once (compare Miniflux's response_handler.go).
/// </summary>
public sealed class ListingFetcher(HttpClient http, IOptions<IngestionOptions> options, ILogger<ListingFetcher> logger)
{
    public const string HttpClientName = "listings";

    private readonly IngestionOptions _options = options.Value;

    public async Task<FetchResult> FetchAsync(Uri url, ConditionalValidators validators, CancellationToken cancellationToken)
    {
        if (url.IsFile) return await ReadFileAsync(url, cancellationToken);

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.5");
        if (validators.ETag is { Length: > 0 } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            request.Headers.IfNoneMatch.Add(tag);
        if (validators.LastModified is { Length: > 0 } lastModified && DateTimeOffset.TryParse(lastModified, out var since))
            request.Headers.IfModifiedSince = since;

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return await ReadResponseAsync(response, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is TimeoutRejectedException or TaskCanceledException or TimeoutException)
        {
            return FetchResult.Failed(OutcomeKind.Timeout, $"no answer within {_options.RequestTimeout:c}");
        }
        catch (BrokenCircuitException ex)
        {
            return FetchResult.Failed(OutcomeKind.Connection, $"circuit open for {url.Host}: {ex.Message}");
        }
        catch (HttpRequestException ex)
        {
            return Classify(ex);
        }
    }

    private async Task<FetchResult> ReadResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var finalUrl = response.RequestMessage?.RequestUri;
        if (response.StatusCode == HttpStatusCode.NotModified)
            return new FetchResult { Kind = OutcomeKind.NotModified, StatusCode = status, FinalUrl = finalUrl };

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
            return FetchResult.Failed(kind, $"HTTP {status} {response.ReasonPhrase}".TrimEnd(), status);
        }

        var contentType = response.Content.Headers.ContentType;
        if (contentType?.MediaType is { } media && !IsHtml(media))
            return FetchResult.Failed(OutcomeKind.NotHtml, $"content type is {media}, not HTML", status);

        if (response.Content.Headers.ContentLength > _options.MaxBodyBytes)
            return TooLarge(status);

        var body = await ReadLimitedAsync(response.Content, cancellationToken);
        if (body is null) return TooLarge(status);
        if (body.Length == 0) return FetchResult.Failed(OutcomeKind.Empty, "the response body is empty", status);

        return new FetchResult
        {
            Kind = OutcomeKind.Success,
            Body = body,
            ContentType = contentType?.ToString(),
            FinalUrl = finalUrl,
            StatusCode = status,
            ETag = response.Headers.ETag?.ToString(),
            LastModified = response.Content.Headers.LastModified?.ToString("r"),
        };
    }

    /// <summary>Reads at most MaxBodyBytes and gives up as soon as the body is larger, without reading the rest.</summary>
    private async Task<byte[]?> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _options.MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private FetchResult TooLarge(int status) =>
        FetchResult.Failed(OutcomeKind.TooLarge, $"the body is larger than {_options.MaxBodyBytes} bytes", status);

    private static bool IsHtml(string mediaType) =>
        mediaType is "text/html" or "application/xhtml+xml" or "text/plain" or "application/xml" or "text/xml";

    private async Task<FetchResult> ReadFileAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            var body = await File.ReadAllBytesAsync(url.LocalPath, cancellationToken);
            if (body.Length == 0) return FetchResult.Failed(OutcomeKind.Empty, $"'{url.LocalPath}' is empty");
            if (body.Length > _options.MaxBodyBytes) return TooLarge(200);
            // No charset: AngleSharp takes it from a BOM or <meta charset>, as a browser opening the file would.
            return new FetchResult { Kind = OutcomeKind.Success, Body = body, ContentType = "text/html", FinalUrl = url };
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

    private static FetchResult Classify(HttpRequestException ex)
    {
        var inner = ex.InnerException;
        if (inner is AuthenticationException || ex.HttpRequestError == HttpRequestError.SecureConnectionError)
            return FetchResult.Failed(OutcomeKind.Tls, $"TLS failed: {(inner ?? ex).Message}");
        if (ex.HttpRequestError == HttpRequestError.NameResolutionError)
            return FetchResult.Failed(OutcomeKind.Connection, $"DNS lookup failed: {ex.Message}");
        if (inner is SocketException socket)
            return FetchResult.Failed(OutcomeKind.Connection, $"connection failed: {socket.SocketErrorCode}");
        if (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
            return FetchResult.Failed(OutcomeKind.HttpError, $"too many redirects: {ex.Message}");
        return FetchResult.Failed(OutcomeKind.Connection, ex.Message);
    }
}
