using System.Net.Sockets;
using System.Text;
using CoopFeeds.Cli;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Tests.Publishing;

/// <summary>What the service runs with unless told otherwise: Kestrel's limits chosen on purpose, and quiet HTTP client logs.</summary>
public sealed class ServerDefaultsTests
{
    [Fact]
    public async Task KestrelRunsWithTheServicesOwnLimits()
    {
        await using var host = await ServiceHost.StartAsync();

        var limits = host.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal(TimeSpan.FromSeconds(30), limits.KeepAliveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), limits.RequestHeadersTimeout);
        Assert.Equal(1000, limits.MaxConcurrentConnections);
        Assert.Equal(1024 * 1024, limits.MaxRequestBodySize);
    }

    [Fact]
    public async Task AConnectionPastMaxConcurrentConnectionsIsClosedWithoutAnAnswer()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Kestrel:Limits:MaxConcurrentConnections=2");
        using var first = await OpenAnsweredConnectionAsync(host);
        using var second = await OpenAnsweredConnectionAsync(host);

        using var third = new TcpClient();
        await third.ConnectAsync(host.Address.Host, host.Address.Port);
        var stream = third.GetStream();
        var answer = await ReadAfterSendingAsync(stream);

        Assert.Equal("", answer);
    }

    [Fact]
    public async Task PerRequestHttpClientLogsAreOffByDefaultAndTheServicesOwnAreOn()
    {
        // The shipped appsettings.json, with nothing on the command line.
        await using var app = Program.BuildWebApp(new ServeSettings(RepoPaths.SampleSources, Path.GetTempPath(), "http://127.0.0.1:0"), []);
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        Assert.False(loggers.CreateLogger("System.Net.Http.HttpClient.listings-public.LogicalHandler").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("System.Net.Http.HttpClient.listings-public.ClientHandler").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("System.Net.Http.HttpClient.listings-public.LogicalHandler").IsEnabled(LogLevel.Warning));
        Assert.True(loggers.CreateLogger("CoopFeeds.Ingestion.SourceIngester").IsEnabled(LogLevel.Information));
    }

    /// <summary>A connection that has had one request answered, and stays open (keep-alive).</summary>
    private static async Task<TcpClient> OpenAnsweredConnectionAsync(ServiceHost host)
    {
        var client = new TcpClient();
        await client.ConnectAsync(host.Address.Host, host.Address.Port);
        var answer = await ReadAfterSendingAsync(client.GetStream());
        Assert.StartsWith("HTTP/1.1 200 OK", answer, StringComparison.Ordinal);
        return client;
    }

    /// <summary>Sends GET /healthz and reads until the answer's end ("ok\n") or the connection's: "" when closed unanswered.</summary>
    private static async Task<string> ReadAfterSendingAsync(NetworkStream stream)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            await stream.WriteAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
            while (!received.ToString().EndsWith("ok\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
                if (read == 0) break;
                received.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // Reset by the server: closed without an answer.
        }
        return received.ToString();
    }
}
