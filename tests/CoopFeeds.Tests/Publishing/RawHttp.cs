using System.Net.Sockets;
using System.Text;

namespace CoopFeeds.Tests.Publishing;

/// <summary>Requests written byte for byte over a TCP connection, for what HttpClient refuses to send (an empty Host, HTTP/1.0 without one).</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="request"/> (the server is expected to close after answering) and returns the status line.</summary>
    public static async Task<string> StatusLineAsync(ServiceHost host, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host.Address.Host, host.Address.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var response = await new StreamReader(stream, Encoding.Latin1).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return response.Split("\r\n")[0];
    }

    /// <summary>A GET of <paramref name="path"/> with exactly the given Host line (null: none), closing after the answer.</summary>
    public static string Get(string path, string? host, string version = "HTTP/1.1") =>
        $"GET {path} {version}\r\n" + (host is null ? "" : $"Host: {host}\r\n") + "Connection: close\r\n\r\n";
}
