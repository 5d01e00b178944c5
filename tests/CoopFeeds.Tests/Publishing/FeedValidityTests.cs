using System.Net;
using System.Text.Json;
using System.Xml.Linq;

namespace CoopFeeds.Tests.Publishing;

/// <summary>Every document the samples produce, read by feedparser and (Atom) checked against RFC 4287's schema; JSON Feed 1.1 fields.</summary>
public sealed class FeedValidityTests
{
    [Fact]
    public async Task EveryRssDocumentParsesInFeedparserWithItsSelfLink()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);

        var paths = await Served.AllXmlDocumentPathsAsync(host, "rss");

        Assert.Contains(paths, p => p.Contains("/archive/", StringComparison.Ordinal));
        foreach (var path in paths)
        {
            var self = new Uri(host.Address, path);
            var summary = RealParsers.FeedParser(await Served.GetBytesAsync(host, path), Served.RssType, "rss20", self);
            Assert.NotEmpty(summary.GetProperty("entries").EnumerateArray());
            Assert.Equal(self.AbsoluteUri, Served.Link(await Served.GetXmlAsync(host, path), "self"));
        }
    }

    [Fact]
    public async Task EveryAtomDocumentParsesInFeedparserAndMatchesTheRfc4287Schema()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);

        var paths = await Served.AllXmlDocumentPathsAsync(host, "atom");

        Assert.Contains(paths, p => p.Contains("/archive/", StringComparison.Ordinal));
        foreach (var path in paths)
        {
            var self = new Uri(host.Address, path);
            var body = await Served.GetBytesAsync(host, path);
            RealParsers.FeedParser(body, Served.AtomType, "atom10", self);
            RealParsers.AssertValidAtom(body, self);
            Assert.Equal(self.AbsoluteUri, Served.Link(await Served.GetXmlAsync(host, path), "self"));
        }
    }

    [Fact]
    public async Task FilteredSelfLinkCarriesTheQueryXmlEscaped()
    {
        await using var host = await ServiceHost.StartAsync();

        var body = System.Text.Encoding.UTF8.GetString(await Served.GetBytesAsync(host, "feeds/all.rss?category=News&q=ilo"));

        Assert.Contains($"href=\"{host.Address}feeds/all.rss?category=News&amp;q=ilo\" rel=\"self\"", body, StringComparison.Ordinal);
        Assert.Equal($"{host.Address}feeds/all.rss?category=News&q=ilo", Served.Link(XDocument.Parse(body), "self"));
    }

    [Theory]
    [InlineData("feeds/news.json")]
    [InlineData("feeds/sse-resources.json")]
    [InlineData("feeds/all.json")]
    [InlineData("feeds/all.json?category=News&q=ilo")]
    public async Task JsonFeedHoldsEveryFieldJsonFeed11Requires(string path)
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/feed+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        var root = json.RootElement;

        Assert.Equal("https://jsonfeed.org/version/1.1", root.GetProperty("version").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
        Assert.Equal(new Uri(host.Address, path).AbsoluteUri, root.GetProperty("feed_url").GetString());
        Assert.True(Uri.IsWellFormedUriString(root.GetProperty("home_page_url").GetString(), UriKind.Absolute));
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            Assert.Equal(JsonValueKind.String, item.GetProperty("id").ValueKind);
            Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("id").GetString()));
            var hasHtml = item.TryGetProperty("content_html", out var html) && html.ValueKind == JsonValueKind.String;
            var hasText = item.TryGetProperty("content_text", out var text) && text.ValueKind == JsonValueKind.String;
            Assert.True(hasHtml || hasText, $"item {item.GetProperty("id")} has neither content_html nor content_text");
            Assert.True(DateTimeOffset.TryParse(item.GetProperty("date_published").GetString(), out _));
        }
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task CombinedFeedListsAnItemOfTwoSectionsOnce()
    {
        await using var host = await ServiceHost.StartAsync();
        const string jordan = "ILO and cooperatives raise awareness, promote labour rights on farms in Jordan";

        var inSse = await TitlesAsync(host, "feeds/sse-resources.rss?limit=500");
        var inNews = await TitlesAsync(host, "feeds/news.rss?limit=500");
        var all = await Served.GetXmlAsync(host, "feeds/all.rss?limit=500");
        var allTitles = all.Root!.Element("channel")!.Elements("item").Select(i => i.Element("title")!.Value).ToList();

        Assert.Contains(jordan, inSse);
        Assert.Contains(jordan, inNews);
        Assert.Single(allTitles, jordan);
        var ids = Served.Ids(all);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static async Task<List<string>> TitlesAsync(ServiceHost host, string path) =>
        (await Served.GetXmlAsync(host, path)).Root!.Element("channel")!.Elements("item").Select(i => i.Element("title")!.Value).ToList();
}
