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
    public void AddressesAreClassified(string address, NetworkScope scope) =>
        Assert.Equal(scope, NetworkScopes.Of(IPAddress.Parse(address)));
}
