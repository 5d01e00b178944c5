using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CoopFeeds.Tests.Publishing;

/// <summary>Autodiscovery and the OPML subscription list (checklist 8.1–8.5).</summary>
public sealed partial class DiscoveryTests
{
    [Fact]
    public async Task OpmlListsEverySectionFeedWithItsPages()
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync("feeds.opml");
        var opml = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("text/x-opml; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("2.0", opml.Root!.Attribute("version")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(opml.Root.Element("head")!.Element("title")!.Value));
        DateTimeOffset.ParseExact(opml.Root.Element("head")!.Element("dateModified")!.Value, "r", System.Globalization.CultureInfo.InvariantCulture);
        var outlines = opml.Root.Element("body")!.Elements("outline").ToList();
        Assert.Equal(Served.Sections.Order(), outlines.Select(o => Regex.Match(o.Attribute("xmlUrl")!.Value, "/feeds/(.+)\\.rss$").Groups[1].Value).Order());
        foreach (var outline in outlines)
        {
            Assert.Equal("rss", outline.Attribute("type")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(outline.Attribute("text")!.Value));
            Assert.Equal(outline.Attribute("text")!.Value, outline.Attribute("title")!.Value);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(outline.Attribute("xmlUrl")!.Value)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync(outline.Attribute("htmlUrl")!.Value)).StatusCode);
        }
    }

    [Fact]
    public async Task IndexPageAdvertisesTheOpmlListAndEverySectionFeed()
    {
        await using var host = await ServiceHost.StartAsync();

        var html = await host.Client.GetStringAsync("");
        var links = LinkTag().Matches(html).Select(m => m.Value).ToList();

        Assert.Contains(links, l => l.Contains("rel=\"outline\"", StringComparison.Ordinal)
                                    && l.Contains("type=\"text/x-opml\"", StringComparison.Ordinal)
                                    && l.Contains($"href=\"{host.Address}feeds.opml\"", StringComparison.Ordinal));
        var alternates = links.Where(l => l.Contains("rel=\"alternate\"", StringComparison.Ordinal)).ToList();
        foreach (var section in Served.Sections)
            Assert.Contains(alternates, l => l.Contains($"href=\"{host.Address}feeds/{section}.rss\"", StringComparison.Ordinal));
        var titles = alternates.Select(l => Regex.Match(l, "title=\"([^\"]*)\"").Groups[1].Value).ToList();
        Assert.Equal(titles.Count, titles.Distinct().Count());
    }

    [Fact]
    public async Task SectionPageAdvertisesItsThreeFormatsRssFirst()
    {
        await using var host = await ServiceHost.StartAsync();

        var html = await host.Client.GetStringAsync("sections/news");
        var types = LinkTag().Matches(html).Select(m => m.Value)
            .Where(l => l.Contains("rel=\"alternate\"", StringComparison.Ordinal))
            .Select(l => Regex.Match(l, "type=\"([^\"]*)\"").Groups[1].Value).ToList();

        Assert.Equal(["application/rss+xml", "application/atom+xml", "application/feed+json"], types);
    }

    [GeneratedRegex("<link [^>]*>")]
    private static partial Regex LinkTag();
}
