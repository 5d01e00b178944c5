using System.Net;
using System.Net.Sockets;

namespace CoopFeeds.Fetching;

/// <summary>
/// Turns a host name into the addresses the fetcher's connections may dial; the connect callback judges each of them by
/// <see cref="NetworkRule"/>. <see cref="SystemHostResolver"/> in production; a test registers its own to make a name
/// answer with a private or link-local address without touching DNS.
/// </summary>
public interface IHostResolver
{
    /// <summary>The host's addresses; empty when it does not resolve.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The system's resolver, except for <c>localhost</c> and names under it, which are the loopback without asking anyone.</summary>
public sealed class SystemHostResolver : IHostResolver
{
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        // RFC 6761 6.3: localhost names are the loopback; a DNS server must not be able to say otherwise.
        if (NetworkRule.IsLocalhost(host) || host.TrimEnd('.').EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback, IPAddress.IPv6Loopback];
        try
        {
            return await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException)
        {
            return [];
        }
    }
}
