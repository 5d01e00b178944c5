using System.Net;
using CoopFeeds.Fetching;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Fetching;

/// <summary>
/// The network rule: what a source may reach follows from its URL and its entry, never from what a name resolves to.
/// End to end, names are answered by a resolver registered in place of the system's, so a name can point at the loopback
/// (where the fault site listens) or at cloud metadata without DNS.
/// </summary>
public sealed class NetworkRuleTests
{
    [Fact]
    public async Task AHostNameReachesTheLoopbackOnlyWithAllowPrivateNetworksAndALinkLocalAddressNever()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        site.Serve("/to-metadata", FaultSite.Redirect("http://169.254.169.254/latest/meta-data/"));
        var port = site.BaseAddress.Port;
        var names = new NamesResolver(new()
        {
            ["intranet.example"] = IPAddress.Loopback,
            ["metadata.example"] = IPAddress.Parse("169.254.169.254"),
        });
        await using var file = FaultSources.Write(
            new SourceSpec("name", $"http://intranet.example:{port}/news"),
            new SourceSpec("name-allowed", $"http://intranet.example:{port}/news") { AllowPrivateNetworks = true },
            new SourceSpec("metadata-name", "http://metadata.example/latest/meta-data/") { AllowPrivateNetworks = true },
            new SourceSpec("loopback-to-metadata", site.Url("/to-metadata")));

        await using var host = await file.StartServiceAsync(services => services.AddSingleton<IHostResolver>(names));

        var name = await host.StatusAsync("name");
        Assert.Equal("AddressRefused", name.GetProperty("lastOutcome").GetString());
        Assert.Contains("intranet.example resolves to 127.0.0.1 (loopback)", name.GetProperty("lastError").GetString());
        Assert.Contains("\"AllowPrivateNetworks\": true", name.GetProperty("lastError").GetString());
        Assert.Equal("healthy", (await host.StatusAsync("name-allowed")).GetProperty("state").GetString());
        var metadata = await host.StatusAsync("metadata-name");
        Assert.Equal("AddressRefused", metadata.GetProperty("lastOutcome").GetString());
        Assert.Contains("no host name ever leads to a link-local address", metadata.GetProperty("lastError").GetString());
        var redirected = await host.StatusAsync("loopback-to-metadata");
        Assert.Equal("RedirectRefused", redirected.GetProperty("lastOutcome").GetString());
        Assert.Contains("169.254.169.254 is a link-local (cloud metadata) address", redirected.GetProperty("lastError").GetString());
        // Only the allowed source asked for the page; only its items are published.
        Assert.Equal(1, site.CountRequests("/news"));
        Assert.Equal(3, (await host.FeedItemsAsync()).Count);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/news", false, NetworkReach.Loopback)]
    [InlineData("http://[::1]/news", false, NetworkReach.Loopback)]
    [InlineData("http://localhost:8080/news", false, NetworkReach.Loopback)]
    [InlineData("http://10.0.0.5/news", false, NetworkReach.Private)]
    [InlineData("http://169.254.169.254/latest/", false, NetworkReach.LinkLocal)]
    [InlineData("https://www.ilo.org/news", false, NetworkReach.Public)]
    [InlineData("https://intranet.example/news", true, NetworkReach.PrivateNetworks)]
    [InlineData("http://intranet.localhost/news", false, NetworkReach.Public)] // a name under localhost is a name
    [InlineData("http://8.8.8.8/news", true, NetworkReach.Public)] // an address decides, whatever the entry says
    public void ASourcesReachFollowsFromItsUrlAndEntryAlone(string url, bool allowPrivateNetworks, NetworkReach reach) =>
        Assert.Equal(reach, NetworkRule.ReachOf(new Uri(url), allowPrivateNetworks));

    [Theory]
    [InlineData(NetworkReach.Public, "8.8.8.8", false, true)]
    [InlineData(NetworkReach.Public, "127.0.0.1", false, false)]
    [InlineData(NetworkReach.Public, "10.1.2.3", true, false)]
    [InlineData(NetworkReach.PrivateNetworks, "127.0.0.1", false, true)]
    [InlineData(NetworkReach.PrivateNetworks, "10.1.2.3", false, true)]
    [InlineData(NetworkReach.PrivateNetworks, "169.254.169.254", false, false)]
    [InlineData(NetworkReach.PrivateNetworks, "169.254.169.254", true, false)]
    [InlineData(NetworkReach.Loopback, "127.0.0.2", true, true)]
    [InlineData(NetworkReach.Loopback, "10.1.2.3", true, false)]
    [InlineData(NetworkReach.Loopback, "169.254.169.254", true, false)]
    [InlineData(NetworkReach.Private, "127.0.0.1", true, false)]
    [InlineData(NetworkReach.LinkLocal, "169.254.169.254", true, true)]
    [InlineData(NetworkReach.LinkLocal, "169.254.169.254", false, false)]
    [InlineData(NetworkReach.LinkLocal, "fe80::1", true, true)]
    [InlineData(NetworkReach.LinkLocal, "127.0.0.1", true, false)]
    public void AnAddressIsReachedByThoseTheRuleLetsReachIt(NetworkReach reach, string address, bool byLiteral, bool permitted) =>
        Assert.Equal(permitted, NetworkRule.Permits(reach, IPAddress.Parse(address), byLiteral));

    [Theory]
    [InlineData("localhost")]
    [InlineData("intranet.localhost")]
    [InlineData("Metadata.LOCALHOST.")]
    public async Task LocalhostNamesAreTheLoopbackWithoutAskingDns(string host)
    {
        var addresses = await new SystemHostResolver().ResolveAsync(host, CancellationToken.None);

        Assert.NotEmpty(addresses);
        Assert.All(addresses, a => Assert.True(IPAddress.IsLoopback(a), a.ToString()));
    }

    /// <summary>Answers for a few names; every other name does not resolve.</summary>
    private sealed class NamesResolver(Dictionary<string, IPAddress> names) : IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(names.TryGetValue(host, out var address) ? new[] { address } : []);
    }
}
