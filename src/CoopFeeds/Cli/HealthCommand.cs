using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;

namespace CoopFeeds.Cli;

/// <summary>
/// <c>health [--url URL]</c>: asks the instance on this machine whether it is ready and says so in one line: exit 0 when
/// <c>/readyz</c> answers 200, 1 on any other answer, no answer within <see cref="AnswerTimeout"/>, or no connection.
/// It is the container's HEALTHCHECK, because the ASP.NET runtime image has no curl or wget.
/// </summary>
/// <remarks>
/// Loopback addresses only (<c>127.0.0.0/8</c>, <c>[::1]</c>, <c>localhost</c>): the verb exists to ask the instance in its
/// own container, and it bypasses the network rule every other request goes through, so it must not become a way to
/// reach anything else. For the same reason it follows no redirect, uses no proxy, and never retries (the health check
/// runs again on its own schedule).
/// </remarks>
internal static class HealthCommand
{
    /// <summary>The readiness endpoint at the port the container image listens on (<c>ASPNETCORE_HTTP_PORTS=8080</c>).</summary>
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:8080/readyz");

    /// <summary>Well inside the Dockerfile's HEALTHCHECK timeout, so a hung instance is reported by this verb rather than killed.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The most of a failing answer's body repeated in the line (the service's own are one short sentence).</summary>
    private const int MaxReasonChars = 120;

    public static Command Create()
    {
        var url = new Option<Uri>("--url")
        {
            Description = "The readiness address of the instance on this machine",
            DefaultValueFactory = _ => DefaultUrl,
            CustomParser = ParseLoopbackUrl,
        };
        var command = new Command("health", "Ask the instance on this machine whether it is ready (exit 0) or not (exit 1)") { url };
        command.SetAction((result, cancellationToken) => CheckAsync(result.GetValue(url)!, cancellationToken));
        return command;
    }

    private static Uri? ParseLoopbackUrl(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.IsLoopback) return uri;
        result.AddError($"--url '{text}' is not an http(s) address on this machine (127.0.0.1, [::1] or localhost).");
        return null;
    }

    private static async Task<int> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        // A plain client, not the ingestion one: no resilience handler (no retries), no network rule, no proxy, no redirects.
        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(AnswerTimeout);
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Console.WriteLine($"ready: {url} answered 200");
                return 0;
            }
            var reason = await ReasonAsync(response, deadline.Token);
            await Console.Error.WriteLineAsync($"not ready: {url} answered {(int)response.StatusCode}{(reason.Length > 0 ? $" ({reason})" : "")}");
            return 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            await Console.Error.WriteLineAsync($"not ready: {url}: {OneLine(ex.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"not ready: {url} did not answer within {AnswerTimeout.TotalSeconds:0} s");
            return 1;
        }
    }

    /// <summary>The first line of the answer's body, cut short: the service says why it is not ready there.</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new char[MaxReasonChars];
        using var reader = new StreamReader(body);
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return OneLine(new string(buffer, 0, read).Split('\n', 2)[0]);
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}
