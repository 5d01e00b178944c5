using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Cli;

/// <summary>The verbs apply the network rule as the service does.</summary>
public sealed class PreviewAndCheckSafetyTests
{
    [Fact]
    public async Task PreviewOfATypedNameReachesTheLoopbackOnlyWithAllowPrivateNetworks()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        // A name under localhost is the loopback without DNS (RFC 6761), but the rule treats it as any other name.
        string[] preview = ["preview", "--url", $"http://intranet.localhost:{site.BaseAddress.Port}/news", "--item", "li.item", "--title", "a", "--json"];

        var refused = await CoopFeedsProcess.RunAsync(RepoPaths.Root, preview);
        var allowed = await CoopFeedsProcess.RunAsync(RepoPaths.Root, [.. preview, "--allow-private-networks"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("AddressRefused", refused.StandardError);
        Assert.True(allowed.ExitCode == 0, allowed.StandardError);
        Assert.Equal(1, site.CountRequests("/news"));
        Assert.Equal(3, JsonSerializer.Deserialize<JsonArray>(allowed.StandardOutput)!.Count);
    }
}
