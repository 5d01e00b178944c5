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
    private static readonly byte[] LocalNat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01];
    private static readonly byte[] Nat64Prefix = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] IPv4CompatiblePrefix = new byte[12];

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
            // 64:ff9b:1::/48 (RFC 8215): an operator's own NAT64, whose prefix length, so the IPv4 address inside, varies.
            if (b[..6].SequenceEqual(LocalNat64Prefix)) return NetworkScope.Private;
            // An address a translator or tunnel delivers to an IPv4 address inside it is that address, for this rule: else
            // 64:ff9b::7f00:1 would pass as public and reach 127.0.0.1 through a NAT64 gateway.
            if (EmbeddedIPv4(b) is { } embedded) return Of(embedded);
            return NetworkScope.Public;
        }

        return NetworkScope.Reserved;
    }

    /// <summary>
    /// The IPv4 address an IPv6 one carries for delivery: NAT64's well-known prefix 64:ff9b::/96 (RFC 6052) and the
    /// deprecated IPv4-compatible ::/96 (RFC 4291 2.5.5.1) in their last four bytes, 6to4's 2002::/16 (RFC 3056) in bytes
    /// 2-5; null for any other address.
    /// </summary>
    private static IPAddress? EmbeddedIPv4(ReadOnlySpan<byte> b)
    {
        if (b[..12].SequenceEqual(Nat64Prefix) || b[..12].SequenceEqual(IPv4CompatiblePrefix)) return new IPAddress(b[12..]);
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(b[2..6]);
        return null;
    }
}

/// <summary>A connection the network rule refused (thrown from the connect callback, so no socket is ever opened).</summary>
public sealed class AddressRefusedException(string message) : Exception(message);
