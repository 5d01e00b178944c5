using System.Net;
using System.Net.Sockets;

namespace CoopFeeds.Fetching;

/// <summary>Which network an address is on, as far as server-side request forgery is concerned.</summary>
public enum NetworkScope
{
    Public,

    /// <summary>127.0.0.0/8, ::1, and 0.0.0.0/8 (which reaches the local host on Linux).</summary>
    Loopback,

    /// <summary>RFC 1918 (10/8, 172.16/12, 192.168/16), 100.64/10 (carrier-grade NAT) and fc00::/7 (unique local).</summary>
    Private,

    /// <summary>169.254/16 (including cloud metadata at 169.254.169.254) and fe80::/10.</summary>
    LinkLocal,

    /// <summary>Multicast, broadcast, documentation and other ranges no listing lives on.</summary>
    Reserved,
}

/// <summary>Classifies addresses by network; which of them a fetch may reach is <see cref="NetworkRule"/>'s.</summary>
public static class NetworkScopes
{
    public static NetworkScope Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return NetworkScope.Loopback;

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] switch
            {
                0 => NetworkScope.Loopback,
                10 => NetworkScope.Private,
                100 when b[1] is >= 64 and < 128 => NetworkScope.Private,
                169 when b[1] == 254 => NetworkScope.LinkLocal,
                172 when b[1] is >= 16 and < 32 => NetworkScope.Private,
                192 when b[1] == 168 => NetworkScope.Private,
                192 when b[1] == 0 && b[2] is 0 or 2 => NetworkScope.Reserved,
                198 when b[1] is 18 or 19 => NetworkScope.Reserved,
                198 when b[1] == 51 && b[2] == 100 => NetworkScope.Reserved,
                203 when b[1] == 0 && b[2] == 113 => NetworkScope.Reserved,
                >= 224 => NetworkScope.Reserved,
                _ => NetworkScope.Public,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6Any)) return NetworkScope.Loopback; // :: reaches the local host
            if (address.IsIPv6LinkLocal) return NetworkScope.LinkLocal;
            if (address.IsIPv6Multicast) return NetworkScope.Reserved;
            Span<byte> b = stackalloc byte[16];
            address.TryWriteBytes(b, out _);
            if ((b[0] & 0xFE) == 0xFC) return NetworkScope.Private; // fc00::/7
            if (address.IsIPv6SiteLocal) return NetworkScope.Private; // fec0::/10, deprecated but still routed privately
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return NetworkScope.Reserved; // 2001:db8::/32
            return NetworkScope.Public;
        }

        return NetworkScope.Reserved;
    }
}

/// <summary>A connection the network rule refused (thrown from the connect callback, so no socket is ever opened).</summary>
public sealed class AddressRefusedException(string message) : Exception(message);
