using System.Net;

namespace CoopFeeds.Fetching;

/// <summary>
/// Which networks the fetches made for one source may reach. Decided from the source's configured URL and entry alone,
/// never from what a name resolves to: a name's owner can point it anywhere, 169.254.169.254 included.
/// </summary>
public enum NetworkReach
{
    /// <summary>Public addresses only: a source named by a host name (the default), or by a public address.</summary>
    Public,

    /// <summary>Public addresses and the loopback: a source whose URL is a loopback address or <c>localhost</c>.</summary>
    Loopback,

    /// <summary>Public addresses and private networks: a source whose URL is a private address (10.0.0.5).</summary>
    Private,

    /// <summary>Public, loopback and private addresses: a source named by a host name whose entry says <c>"AllowPrivateNetworks": true</c>.</summary>
    PrivateNetworks,

    /// <summary>Public addresses and link-local ones, the latter by literal only: a source whose URL is a link-local address.</summary>
    LinkLocal,

    /// <summary>Public addresses and reserved ranges: a source whose URL is such an address.</summary>
    Reserved,
}

/// <summary>
/// The network rule of docs/architecture.md, in one place. <see cref="ListingFetcher"/> applies it before every request
/// whose host is an address (the first, each redirect, each next page); the connect callback of
/// <see cref="FetchingRegistration"/> applies it to every connection, on the addresses actually dialled, so a name is
/// judged by what it resolves to at that moment and by nothing earlier.
/// </summary>
public static class NetworkRule
{
    /// <summary>What a source whose URL is <paramref name="url"/> may reach.</summary>
    public static NetworkReach ReachOf(Uri url, bool allowPrivateNetworks)
    {
        if (LiteralOf(url.IdnHost) is { } literal)
        {
            return NetworkScopes.Of(literal) switch
            {
                NetworkScope.Loopback => NetworkReach.Loopback,
                NetworkScope.Private => NetworkReach.Private,
                NetworkScope.LinkLocal => NetworkReach.LinkLocal,
                NetworkScope.Reserved => NetworkReach.Reserved,
                _ => NetworkReach.Public,
            };
        }
        if (IsLocalhost(url.IdnHost)) return NetworkReach.Loopback;
        return allowPrivateNetworks ? NetworkReach.PrivateNetworks : NetworkReach.Public;
    }

    /// <summary>True when a fetch with <paramref name="reach"/> may connect to <paramref name="address"/>, named by that literal or by a name.</summary>
    public static bool Permits(NetworkReach reach, IPAddress address, bool byLiteral) => NetworkScopes.Of(address) switch
    {
        NetworkScope.Public => true,
        // Cloud metadata answers on 169.254.169.254: only a source that names such an address itself reaches one, and only
        // by the literal, so no name, whoever controls it, ever leads there.
        NetworkScope.LinkLocal => reach == NetworkReach.LinkLocal && byLiteral,
        NetworkScope.Loopback => reach is NetworkReach.Loopback or NetworkReach.PrivateNetworks,
        NetworkScope.Private => reach is NetworkReach.Private or NetworkReach.PrivateNetworks,
        _ => reach == NetworkReach.Reserved,
    };

    /// <summary>
    /// Null when <paramref name="reach"/> may connect to one of <paramref name="addresses"/> (those of <paramref name="host"/>);
    /// else why not, naming the host, each address and its network, and the rule that refuses them.
    /// </summary>
    public static string? Refusal(NetworkReach reach, string host, IReadOnlyList<IPAddress> addresses, bool byLiteral)
    {
        if (addresses.Any(a => Permits(reach, a, byLiteral))) return null;
        var where = byLiteral
            ? $"{host} is a {Name(NetworkScopes.Of(addresses[0]))} address"
            : $"{host} resolves to {string.Join(", ", addresses.Select(a => $"{a} ({Name(NetworkScopes.Of(a))})"))}";
        return $"{where}, and {WhyNot(reach, NetworkScopes.Of(addresses[0]), byLiteral)}";
    }

    /// <summary>The address <paramref name="host"/> is written as (an IPv6 one with or without brackets), or null for a name.</summary>
    public static IPAddress? LiteralOf(string host)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out var address) ? address : null;
    }

    /// <summary>
    /// <c>localhost</c> itself, which the rule treats as the loopback literal. Names under it (<c>intranet.localhost</c>) are
    /// names: the resolver answers them with the loopback too (RFC 6761 6.3), but reaching it through one takes
    /// AllowPrivateNetworks, as through any other name.
    /// </summary>
    public static bool IsLocalhost(string host) => host.TrimEnd('.').Equals("localhost", StringComparison.OrdinalIgnoreCase);

    private static string WhyNot(NetworkReach reach, NetworkScope target, bool byLiteral) => (reach, target) switch
    {
        (_, NetworkScope.LinkLocal) when !byLiteral => "no host name ever leads to a link-local address (cloud metadata)",
        (_, NetworkScope.LinkLocal) => "only a source whose own URL is a link-local address reaches one",
        (NetworkReach.Public, _) => "the source reaches public addresses only (a source named by a host name reaches loopback and private ones with \"AllowPrivateNetworks\": true)",
        (NetworkReach.PrivateNetworks, _) => "\"AllowPrivateNetworks\" opens loopback and private networks only",
        _ => $"the source's URL is a {Name(ScopeOf(reach))} address, so it reaches public addresses and that network only",
    };

    private static NetworkScope ScopeOf(NetworkReach reach) => reach switch
    {
        NetworkReach.Loopback => NetworkScope.Loopback,
        NetworkReach.Private => NetworkScope.Private,
        NetworkReach.LinkLocal => NetworkScope.LinkLocal,
        NetworkReach.Reserved => NetworkScope.Reserved,
        _ => NetworkScope.Public,
    };

    private static string Name(NetworkScope scope) => scope switch
    {
        NetworkScope.Loopback => "loopback",
        NetworkScope.Private => "private-network",
        NetworkScope.LinkLocal => "link-local (cloud metadata)",
        NetworkScope.Reserved => "reserved",
        _ => "public",
    };
}
