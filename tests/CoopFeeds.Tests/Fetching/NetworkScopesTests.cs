using System.Net;
using CoopFeeds.Fetching;

namespace CoopFeeds.Tests.Fetching;

public sealed class NetworkScopesTests
{
    [Theory]
    [InlineData("127.0.0.1", NetworkScope.Loopback)]
    [InlineData("0.0.0.0", NetworkScope.Loopback)]
    [InlineData("::1", NetworkScope.Loopback)]
    [InlineData("10.1.2.3", NetworkScope.Private)]
    [InlineData("172.16.0.1", NetworkScope.Private)]
    [InlineData("172.31.255.255", NetworkScope.Private)]
    [InlineData("192.168.1.1", NetworkScope.Private)]
    [InlineData("100.64.0.1", NetworkScope.Private)]
    [InlineData("fd12:3456::1", NetworkScope.Private)]
    [InlineData("169.254.169.254", NetworkScope.LinkLocal)]
    [InlineData("fe80::1", NetworkScope.LinkLocal)]
    [InlineData("::ffff:169.254.169.254", NetworkScope.LinkLocal)]
    [InlineData("::ffff:10.0.0.1", NetworkScope.Private)]
    [InlineData("224.0.0.1", NetworkScope.Reserved)]
    [InlineData("8.8.8.8", NetworkScope.Public)]
    [InlineData("172.32.0.1", NetworkScope.Public)]
    [InlineData("2606:4700::1111", NetworkScope.Public)]
    // IPv6 addresses that a NAT64 gateway, a 6to4 relay or an old stack delivers to the IPv4 address inside them.
    [InlineData("64:ff9b::7f00:1", NetworkScope.Loopback)]
    [InlineData("64:ff9b::a00:1", NetworkScope.Private)]
    [InlineData("64:ff9b::a9fe:a9fe", NetworkScope.LinkLocal)]
    [InlineData("64:ff9b::808:808", NetworkScope.Public)]
    [InlineData("64:ff9b:1::808:808", NetworkScope.Private)]
    [InlineData("2002:7f00:1::1", NetworkScope.Loopback)]
    [InlineData("2002:c0a8:101::1", NetworkScope.Private)]
    [InlineData("2002:a9fe:a9fe::", NetworkScope.LinkLocal)]
    [InlineData("2002:808:808::1", NetworkScope.Public)]
    [InlineData("::127.0.0.1", NetworkScope.Loopback)]
    [InlineData("::10.0.0.1", NetworkScope.Private)]
    [InlineData("::169.254.169.254", NetworkScope.LinkLocal)]
    public void AddressesAreClassified(string address, NetworkScope scope) =>
        Assert.Equal(scope, NetworkScopes.Of(IPAddress.Parse(address)));
}
