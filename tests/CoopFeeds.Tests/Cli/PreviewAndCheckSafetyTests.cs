using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Cli;

/// <summary>The verbs apply the network rule and the saved-pages folder as the service does; a path typed to preview is read as given.</summary>
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

    [Fact]
    public async Task PreviewReadsATypedPathAsGivenAndStopsAtMaxBodyBytes()
    {
        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--url", "/dev/zero", "--item", "li", "--title", "a",
            "--Ingestion:MaxBodyBytes=65536");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("preview: TooLarge '/dev/zero' gave more than 65536 bytes (stopped reading)", result.StandardError);
    }

    [Fact]
    public async Task CheckReadsPagesInsideSourcesFileRootOnly()
    {
        var root = Directory.CreateTempSubdirectory("coopfeeds-root-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "config"));
        Directory.CreateDirectory(Path.Combine(root, "pages"));
        File.WriteAllText(Path.Combine(root, "pages", "news.html"), FaultSite.Listing(2));
        File.WriteAllText(Path.Combine(root, "config", "sources.json"), """
            { "Sections": [ { "Slug": "news", "Title": "News" } ],
              "Sources": [ { "Id": "news", "Section": "news", "Url": "../pages/news.html", "Selectors": { "Item": "li", "Title": "a" } } ] }
            """);

        var inFolder = await CoopFeedsProcess.RunAsync(root, "check", "--sources", "config/sources.json");
        var inRoot = await CoopFeedsProcess.RunAsync(root, "check", "--sources", "config/sources.json", $"--Sources:FileRoot={root}");

        Assert.Equal(1, inFolder.ExitCode);
        Assert.Contains("source 'news': Url '", inFolder.StandardOutput);
        Assert.Contains("is outside the saved-pages folder", inFolder.StandardOutput);
        Assert.Equal(0, inRoot.ExitCode);
        Directory.Delete(root, recursive: true);
    }
}
