using System.Xml.Linq;

namespace CoopFeeds.Tests.Publishing;

/// <summary>Links built from the request honour X-Forwarded-Proto/Host only from Publishing:TrustedProxies; PublicBaseUrl wins over both.</summary>
public sealed class TrustedProxyTests
{
    [Fact]
    public async Task ForwardedHeadersAreIgnoredWhenNoProxyIsTrusted()
    {
        await using var host = await ServiceHost.StartAsync();

        var self = await SelfLinkAsync(host, forwarded: true);

        Assert.Equal($"{host.Address}feeds/news.atom", self);
    }

    [Fact]
    public async Task ForwardedHeadersFromATrustedProxyMakeThePublicLinks()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:TrustedProxies:0=127.0.0.1");

        var self = await SelfLinkAsync(host, forwarded: true);
        var direct = await SelfLinkAsync(host, forwarded: false);

        Assert.Equal("https://feeds.example.org/feeds/news.atom", self);
        Assert.Equal($"{host.Address}feeds/news.atom", direct);
    }

    [Fact]
    public async Task ForwardedHeadersFromAnUntrustedAddressAreIgnored()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:TrustedProxies:0=10.0.0.0/8", "--Publishing:TrustedProxies:1=192.0.2.7");

        var self = await SelfLinkAsync(host, forwarded: true);

        Assert.Equal($"{host.Address}feeds/news.atom", self);
    }

    [Fact]
    public async Task PublicBaseUrlWinsOverForwardedHeaders()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:TrustedProxies:0=127.0.0.1", "--Publishing:PublicBaseUrl=https://coop.example.net/feeds-service");

        var self = await SelfLinkAsync(host, forwarded: true);

        Assert.Equal("https://coop.example.net/feeds-service/feeds/news.atom", self);
    }

    [Fact]
    public async Task InvalidTrustedProxyStopsTheStartNamingIt()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ServiceHost.StartAsync(null, "--Publishing:TrustedProxies:0=not-an-address"));

        Assert.Contains("not-an-address", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string?> SelfLinkAsync(ServiceHost host, bool forwarded)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/news.atom");
        if (forwarded)
        {
            request.Headers.Add("X-Forwarded-For", "203.0.113.9");
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-Host", "feeds.example.org");
        }
        using var response = await host.Client.SendAsync(request);
        var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
        return Served.Link(document, "self");
    }
}
