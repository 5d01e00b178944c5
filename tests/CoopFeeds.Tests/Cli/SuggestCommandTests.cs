using System.Text.Json.Nodes;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Cli;

/// <summary>
/// <c>suggest</c> as a maintainer runs it: on a saved page or a site on the loopback, through the fetcher and network rule
/// ingestion uses. With --json stdout holds exactly one object, failures included; exit 0 with candidates, 1 with none,
/// 2 on bad arguments.
/// </summary>
public sealed class SuggestCommandTests
{
    private const string NewsStoriesBase = "https://www.ilo.org/global/topics/cooperatives/news/lang--en/index.htm";

    // No wait between two requests to the test site: the fetcher's politeness is tested elsewhere.
    private const string NoHostDelay = "--Ingestion:PerHostDelay=00:00:00";

    private static string SamplePage(string id) => Path.Combine(RepoPaths.Samples, "pages", id + ".html");

    private static JsonObject Json(ProcessResult result) => JsonNode.Parse(result.StandardOutput)!.AsObject();

    [Fact]
    public async Task SuggestJsonOnASavedPageProposesTheSourceWhoseItemsPreviewPrints()
    {
        var page = SamplePage("ilo-coop-news-stories");

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "suggest", "--url", page, "--base-url", NewsStoriesBase, "--json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var json = Json(result);
        Assert.Equal(["url", "feeds", "problems", "candidates"], json.Select(p => p.Key));
        var top = json["candidates"]![0]!.AsObject();
        var selectors = top["source"]!["Selectors"]!.AsObject();
        Assert.Equal("article.listing-item", (string?)selectors["Item"]);
        Assert.Equal(10, (int)top["itemCount"]!);

        // The same items, in the same shape, as preview prints for those selectors.
        string[] preview = ["preview", "--url", page, "--base-url", NewsStoriesBase, "--json"];
        foreach (var (key, value) in selectors) preview = [.. preview, OptionOf(key), (string)value!];
        var previewed = await CoopFeedsProcess.RunAsync(RepoPaths.Root, preview);
        Assert.True(previewed.ExitCode == 0, previewed.StandardError);
        var expected = JsonNode.Parse(previewed.StandardOutput)!.AsArray().Take(5).Select(i => i!.ToJsonString());
        Assert.Equal(expected, top["items"]!.AsArray().Select(i => i!.ToJsonString()));
    }

    private static string OptionOf(string selector) => selector switch
    {
        "NextPage" => "--next-page",
        _ => "--" + selector.ToLowerInvariant(),
    };

    [Fact]
    public async Task SuggestReadsTheProposedNextPageAndProposesItOnlyThen()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(4, first: 5).Replace("</ul>", "</ul><a rel=\"next\" href=\"/news/page/2\">Older news</a>", StringComparison.Ordinal)));
        site.Serve("/news/page/2", FaultSite.Html(FaultSite.Listing(4, first: 1)));

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "suggest", "--url", site.Url("/news").AbsoluteUri, "--json", NoHostDelay);

        Assert.True(result.ExitCode == 0, result.StandardError);
        var top = Json(result)["candidates"]![0]!.AsObject();
        Assert.Equal("a[rel=next]@href", (string?)top["source"]!["Selectors"]!["NextPage"]);
        Assert.Equal(2, (int)top["source"]!["MaxPages"]!);
        Assert.Equal(8, (int)top["itemCount"]!);
        Assert.Contains(top["evidence"]!.AsArray(), e => ((string)e!).Contains("(2 pages seen)", StringComparison.Ordinal));
        Assert.Equal(1, site.CountRequests("/news/page/2"));
    }

    private const string LoginWall = """
        <html><head><title>Sign in</title></head><body><main><h1>Sign in</h1>
        <form method="post"><input name="user"><input type="password" name="pass"><button>Sign in</button></form>
        <ul><li><a href="/reset">Forgotten your password?</a></li><li><a href="/register">Create an account</a></li><li><a href="/help">Help with signing in</a></li></ul>
        </main></body></html>
        """;

    private const string ArticlePage = """
        <html><head><title>A story</title><meta property="og:type" content="article"></head><body><main><article><h1>A story</h1><p>One paragraph of the story.</p>
        <ul class="related"><li><a href="/a">A related story</a></li><li><a href="/b">Another related story</a></li><li><a href="/c">A third related story</a></li></ul>
        </article></main></body></html>
        """;

    public static TheoryData<string, string> PagesWithNoList => new()
    {
        { LoginWall, "login wall: " },
        { ArticlePage, "an article, not a list: " },
        { "<html><head><title></title></head><body></body></html>", "empty page: " },
    };

    [Theory]
    [MemberData(nameof(PagesWithNoList))]
    public async Task SuggestOnAPageWithNoListExitsOneWithAProblemNamingTheReason(string html, string reason)
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/page", FaultSite.Html(html));

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "suggest", "--url", site.Url("/page").AbsoluteUri, "--json");

        Assert.Equal(1, result.ExitCode);
        var json = Json(result);
        Assert.Empty(json["candidates"]!.AsArray());
        Assert.Contains(json["problems"]!.AsArray(), p => ((string)p!).StartsWith(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SuggestOfATypedNameReachesTheLoopbackOnlyWithAllowPrivateNetworks()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        string[] suggest = ["suggest", "--url", $"http://intranet.localhost:{site.BaseAddress.Port}/news", "--json"];

        var refused = await CoopFeedsProcess.RunAsync(RepoPaths.Root, suggest);
        var allowed = await CoopFeedsProcess.RunAsync(RepoPaths.Root, [.. suggest, "--allow-private-networks"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(Json(refused)["problems"]!.AsArray(), p => ((string)p!).StartsWith("the page could not be read: AddressRefused", StringComparison.Ordinal));
        Assert.True(allowed.ExitCode == 0, allowed.StandardError);
        Assert.Equal(3, (int)Json(allowed)["candidates"]![0]!["itemCount"]!);
        Assert.Equal(1, site.CountRequests("/news"));
    }

    [Fact]
    public async Task SuggestOfAnUnreachableSiteExitsOneWithTheFetchFailureAsAProblem()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "suggest", "--url", $"http://127.0.0.1:{port}/news", "--json", "--Ingestion:MaxRetries=0");

        Assert.Equal(1, result.ExitCode);
        var problem = (string)Assert.Single(Json(result)["problems"]!.AsArray())!;
        Assert.StartsWith("the page could not be read: ", problem, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadArguments => new()
    {
        { [], "suggest needs --url URL|FILE" },
        { ["--url", "page.html", "--top", "0"], "--top takes a whole number of candidates" },
        { ["--url", "page.html", "--base-url", "ftp://example.org/"], "--base-url must be an absolute http(s) URL" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task SuggestWithBadArgumentsExitsTwoAndStillPrintsOneObject(string[] arguments, string problem)
    {
        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, ["suggest", .. arguments, "--json"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(Json(result)["problems"]!.AsArray(), p => ((string)p!).StartsWith(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SuggestWithAnUnknownOptionExitsTwo()
    {
        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "suggest", "--url", "page.html", "--itme", "li");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown option '--itme'", result.StandardError);
    }

    [Fact]
    public async Task SuggestPrintsEachCandidateAsAReadableTable()
    {
        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "suggest", "--url", SamplePage("ilo-newsroom-coop"), "--top", "1",
            "--base-url", "https://www.ilo.org/global/about-the-ilo/newsroom/news/lang--en/index.htm");

        Assert.True(result.ExitCode == 0, result.StandardError);
        var output = result.StandardOutput;
        Assert.Contains("#1  score ", output);
        Assert.DoesNotContain("#2  score ", output);
        Assert.Contains("    Item        article.listing-item", output);
        Assert.Contains("    Group       h2.listing-group__heading", output);
        Assert.Contains("    - 10/10 dated (dd MMMM yyyy, en-GB)", output);
        Assert.Contains("  2022-04-01  News              ILO supports Occupational Safety", output);
    }
}
