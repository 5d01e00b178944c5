using System.Globalization;
using System.Net;
using System.Xml.Linq;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core.Tests.Syndication;

public sealed class Rss20WriterTests
{
    private static readonly XNamespace Atom = FeedXml.Atom;
    private static readonly XNamespace History = FeedXml.History;

    private static XElement Channel(FeedDocument feed, out byte[] bytes)
    {
        bytes = new Rss20Writer().Write(feed);
        return FeedXml.Parse(bytes).Root!.Element("channel")!;
    }

    [Fact]
    public void DocumentIsUtf8WithoutBomAndHasOneChannelUnderRss20()
    {
        var bytes = new Rss20Writer().Write(SampleFeeds.Section("rss"));
        FeedXml.AssertUtf8Declaration(bytes);

        var document = FeedXml.Parse(bytes);
        Assert.Equal("rss", document.Root!.Name.LocalName);
        Assert.Equal(XNamespace.None, document.Root.Name.Namespace);
        Assert.Equal("2.0", document.Root.Attribute("version")?.Value);
        Assert.Single(document.Root.Elements());
        Assert.Equal("channel", document.Root.Elements().Single().Name.LocalName);
        Assert.Null(document.DocumentType);
    }

    [Fact]
    public void AtomIsDeclaredOnceOnTheRootAndHistoryOnlyForArchives()
    {
        // With every declaration on the root and only these there, every Atom element carries the atom prefix (never a10).
        var subscription = FeedXml.Parse(new Rss20Writer().Write(SampleFeeds.SectionWithHub("rss")));
        Assert.Equal(["xmlns:atom"], Declarations(subscription));
        Assert.Equal(Atom.NamespaceName, subscription.Root!.Attribute(XNamespace.Xmlns + "atom")?.Value);
        FeedXml.AssertNamespacesOnlyOnRoot(subscription);

        var archive = FeedXml.Parse(new Rss20Writer().Write(SampleFeeds.Archive("rss")));
        Assert.Equal(["xmlns:atom", "xmlns:fh"], Declarations(archive));
        Assert.Equal(History.NamespaceName, archive.Root!.Attribute(XNamespace.Xmlns + "fh")?.Value);
        FeedXml.AssertNamespacesOnlyOnRoot(archive);
    }

    private static List<string> Declarations(XDocument document) =>
        document.Root!.Attributes().Where(a => a.IsNamespaceDeclaration).Select(a => "xmlns:" + a.Name.LocalName).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void ChannelCarriesItsMetadataOnceAndBeforeTheItems()
    {
        var feed = SampleFeeds.Section("rss");
        var channel = Channel(feed, out _);

        var names = channel.Elements().Select(e => e.Name).ToList();
        var firstItem = names.IndexOf("item");
        var metadata = names.Take(firstItem).ToList();
        Assert.Equal(
            new XName[] { "title", "link", "description", "language", "lastBuildDate", "generator", "ttl", Atom + "link" },
            metadata);
        Assert.All(names.Skip(firstItem), n => Assert.Equal("item", n.LocalName));
        Assert.Equal(10, names.Count - firstItem);

        Assert.Equal("News on cooperatives", channel.Element("title")!.Value);
        Assert.Equal("https://feeds.coopfeeds.example/sections/news", channel.Element("link")!.Value);
        Assert.Equal(feed.Description, channel.Element("description")!.Value);
        Assert.Equal("en", channel.Element("language")!.Value);
        Assert.Equal("Mon, 03 Nov 2025 07:30:00 Z", channel.Element("lastBuildDate")!.Value);
        Assert.Equal("CoopFeeds", channel.Element("generator")!.Value);
        Assert.Equal("60", channel.Element("ttl")!.Value);

        var self = channel.Element(Atom + "link")!;
        Assert.Equal("self", self.Attribute("rel")?.Value);
        Assert.Equal("application/rss+xml", self.Attribute("type")?.Value);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news.rss", self.Attribute("href")?.Value);
    }

    [Fact]
    public void ItemsCarryTitleLinkEscapedHtmlDescriptionOpaqueGuidDateAndCategories()
    {
        var feed = SampleFeeds.Section("rss");
        var items = Channel(feed, out _).Elements("item").ToList();

        for (var i = 0; i < items.Count; i++)
        {
            var entry = feed.Entries[i];
            var item = items[i];
            Assert.Equal(entry.Title, item.Element("title")!.Value);
            FeedAssert.SameLink(entry.Link, item.Element("link")?.Value);

            // RSS profile §4.1.1.20.6: not a URL, so isPermaLink="false"; checklist 1.7: the urn:uuid id itself.
            var guid = item.Element("guid")!;
            Assert.Equal("false", guid.Attribute("isPermaLink")?.Value);
            Assert.Equal(entry.Id, guid.Value);

            var pubDate = item.Element("pubDate")!.Value;
            Assert.Matches(FeedXml.Rfc822Pattern, pubDate);
            Assert.Equal(entry.Published, DateTimeOffset.Parse(pubDate, CultureInfo.InvariantCulture));

            Assert.Equal(entry.Categories, item.Elements("category").Select(c => c.Value));
            Assert.Empty(item.Elements("source"));
            Assert.DoesNotContain(item.Elements(), e => e.Name.Namespace == Atom);
        }

        Assert.Equal("https://www.ilo.org/resource/news/2025/01-item", items[0].Element("link")!.Value);

        // The HTML summary is escaped text (one element, no child elements), which reads back as the same HTML.
        Assert.Equal(feed.Entries[0].SummaryHtml, items[0].Element("description")!.Value);
        Assert.Empty(items[0].Element("description")!.Elements());
    }

    [Fact]
    public void ItemWithoutLinkOrSummaryHasNeitherLinkNorDescription()
    {
        var item = Channel(SampleFeeds.Section("rss"), out _).Elements("item").ElementAt(SampleFeeds.BareEntry);

        Assert.Null(item.Element("link"));
        Assert.Null(item.Element("description"));
        Assert.NotEmpty(item.Element("title")!.Value);
    }

    [Fact]
    public void ItemWithLinkButNoSummaryHasNoDescription()
    {
        var item = Channel(SampleFeeds.Section("rss"), out _).Elements("item").ElementAt(SampleFeeds.LinkOnlyEntry);

        Assert.NotNull(item.Element("link"));
        Assert.Null(item.Element("description"));
    }

    [Fact]
    public void PlainTextSummaryIsHtmlEncodedIntoTheDescription()
    {
        var feed = SampleFeeds.Section("rss");
        var entries = feed.Entries.ToList();
        entries[SampleFeeds.TextOnlyEntry] = entries[SampleFeeds.TextOnlyEntry] with { SummaryText = "1 < 2 & <b>not bold</b>" };
        var item = Channel(feed with { Entries = entries }, out _).Elements("item").ElementAt(SampleFeeds.TextOnlyEntry);

        Assert.Equal("1 &lt; 2 &amp; &lt;b&gt;not bold&lt;/b&gt;", item.Element("description")!.Value);
        Assert.Equal("1 < 2 & <b>not bold</b>", WebUtility.HtmlDecode(item.Element("description")!.Value));
    }

    [Fact]
    public void InternationalLinksAreWrittenAsAsciiUris()
    {
        var item = Channel(SampleFeeds.Section("rss"), out _).Elements("item").Last();

        Assert.Equal("https://xn--coopratives-ebb.example/actualit%C3%A9s/2025/habitat", item.Element("link")!.Value);
    }

    [Fact]
    public void HubIsAdvertisedAsAnAtomLink()
    {
        var links = Channel(SampleFeeds.SectionWithHub("rss"), out _).Elements(Atom + "link").ToList();

        var hub = Assert.Single(links, l => l.Attribute("rel")?.Value == "hub");
        Assert.Equal(SampleFeeds.HubUrl.AbsoluteUri, hub.Attribute("href")?.Value);
        var prev = Assert.Single(links, l => l.Attribute("rel")?.Value == "prev-archive");
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/2.rss", prev.Attribute("href")?.Value);
        Assert.Null(Channel(SampleFeeds.SectionWithHub("rss"), out _).Element(History + "archive"));
    }

    [Fact]
    public void ArchiveCarriesHistoryLinksAndFhArchiveButNeverFhComplete()
    {
        var channel = Channel(SampleFeeds.Archive("rss"), out _);
        var links = channel.Elements(Atom + "link").ToDictionary(l => l.Attribute("rel")!.Value, l => l.Attribute("href")!.Value);

        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/2.rss", links["self"]);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news.rss", links["current"]);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/1.rss", links["prev-archive"]);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/3.rss", links["next-archive"]);
        Assert.Single(channel.Elements(History + "archive"));
        Assert.Empty(channel.Descendants(History + "complete"));
        Assert.Empty(channel.Elements("item").SelectMany(i => i.Elements(Atom + "link")));
        Assert.Equal("1440", channel.Element("ttl")!.Value);
    }

    [Theory]
    [InlineData(90, "2")]
    [InlineData(60, "1")]
    [InlineData(1, "1")]
    [InlineData(3600, "60")]
    public void TtlIsWholeMinutesRoundedUp(int seconds, string expected)
    {
        var feed = SampleFeeds.Section("rss") with { Ttl = TimeSpan.FromSeconds(seconds) };

        Assert.Equal(expected, Channel(feed, out _).Element("ttl")!.Value);
    }

    [Fact]
    public void TtlIsOmittedWhenUnset()
    {
        var feed = SampleFeeds.Section("rss") with { Ttl = null };

        Assert.Null(Channel(feed, out _).Element("ttl"));
    }

    [Fact]
    public void BlankSectionDescriptionFallsBackToTheTitle()
    {
        var feed = SampleFeeds.Section("rss") with { Description = " " };

        Assert.Equal(feed.Title, Channel(feed, out _).Element("description")!.Value);
    }

    [Fact]
    public void EmptySectionStillHasItsChannelMetadata()
    {
        var channel = Channel(SampleFeeds.Section("rss") with { Entries = [] }, out _);

        Assert.Empty(channel.Elements("item"));
        Assert.NotNull(channel.Element("lastBuildDate"));
    }
}
