using System.Globalization;
using System.Xml.Linq;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core.Tests.Syndication;

public sealed class Atom10WriterTests
{
    private static readonly XNamespace Atom = FeedXml.Atom;
    private static readonly XNamespace History = FeedXml.History;

    private static XElement Root(FeedDocument feed)
    {
        var bytes = new Atom10Writer().Write(feed);
        FeedXml.AssertUtf8Declaration(bytes);
        return FeedXml.Parse(bytes).Root!;
    }

    private static Dictionary<string, XElement> LinksByRel(XElement parent) =>
        parent.Elements(Atom + "link").ToDictionary(l => l.Attribute("rel")?.Value ?? "alternate");

    [Fact]
    public void RootIsAnAtomFeedWithLanguageAndNamespacesOnlyThere()
    {
        var root = Root(SampleFeeds.Section("atom"));

        Assert.Equal(Atom + "feed", root.Name);
        Assert.Equal("en", root.Attribute(XNamespace.Xml + "lang")?.Value);
        Assert.Null(root.Attribute(XNamespace.Xmlns + "fh"));
        FeedXml.AssertNamespacesOnlyOnRoot(root.Document!);
        Assert.Null(root.Document!.DocumentType);
    }

    [Fact]
    public void FeedMetadataAppearsOnceEachAndBeforeTheEntries()
    {
        var feed = SampleFeeds.Section("atom");
        var root = Root(feed);

        var names = root.Elements().Select(e => e.Name.LocalName).ToList();
        var firstEntry = names.IndexOf("entry");
        Assert.Equal(["title", "subtitle", "id", "updated", "author", "generator", "link", "link"], names.Take(firstEntry));
        Assert.All(names.Skip(firstEntry), n => Assert.Equal("entry", n));
        Assert.Equal(10, names.Count - firstEntry);

        // The feed id is the document's Id, never its URL (see Atom10Writer remarks); the literal pins the UUID for ever.
        Assert.Equal("urn:uuid:e7e1c0b1-45ce-578b-9bb5-0cf635d36c1f", root.Element(Atom + "id")!.Value);
        Assert.Equal(feed.Id, root.Element(Atom + "id")!.Value);
        Assert.Equal("text", root.Element(Atom + "title")!.Attribute("type")?.Value);
        Assert.Equal(feed.Title, root.Element(Atom + "title")!.Value);
        Assert.Equal(feed.Description, root.Element(Atom + "subtitle")!.Value);
        Assert.Equal("2025-11-03T07:30:00Z", root.Element(Atom + "updated")!.Value);
        Assert.Equal("CoopFeeds", root.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        Assert.Equal("CoopFeeds", root.Element(Atom + "generator")!.Value);

        var links = LinksByRel(root);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news.atom", links["self"].Attribute("href")?.Value);
        Assert.Equal("application/atom+xml", links["self"].Attribute("type")?.Value);
        Assert.Equal("https://feeds.coopfeeds.example/sections/news", links["alternate"].Attribute("href")?.Value);
        Assert.Equal("text/html", links["alternate"].Attribute("type")?.Value);
    }

    [Fact]
    public void EntriesCarryIdTitleLinkDatesSummaryAndCategories()
    {
        var feed = SampleFeeds.Section("atom");
        var entries = Root(feed).Elements(Atom + "entry").ToList();

        for (var i = 0; i < entries.Count; i++)
        {
            var expected = feed.Entries[i];
            var entry = entries[i];

            // RFC 4287 §4.1.2: exactly one id, title, updated; at most one published, summary, content.
            foreach (var name in new[] { "id", "title", "updated", "published" })
            {
                Assert.Single(entry.Elements(Atom + name));
            }

            Assert.True(entry.Elements(Atom + "summary").Count() <= 1);
            Assert.True(entry.Elements(Atom + "content").Count() <= 1);

            Assert.Equal(expected.Id, entry.Element(Atom + "id")!.Value);
            Assert.Equal("text", entry.Element(Atom + "title")!.Attribute("type")?.Value);
            Assert.Equal(expected.Title, entry.Element(Atom + "title")!.Value);
            FeedAssert.SameLink(expected.Link, entry.Elements(Atom + "link").SingleOrDefault(l => l.Attribute("rel")?.Value == "alternate")?.Attribute("href")?.Value);

            var published = entry.Element(Atom + "published")!.Value;
            var updated = entry.Element(Atom + "updated")!.Value;
            Assert.Matches(FeedXml.Rfc3339Pattern, published);
            Assert.Matches(FeedXml.Rfc3339Pattern, updated);
            Assert.Equal(expected.Published, DateTimeOffset.Parse(published, CultureInfo.InvariantCulture));
            Assert.Equal(expected.Updated, DateTimeOffset.Parse(updated, CultureInfo.InvariantCulture));

            Assert.Equal(expected.Categories, entry.Elements(Atom + "category").Select(c => c.Attribute("term")!.Value));
            Assert.Empty(entry.Elements(Atom + "source"));
            Assert.Empty(entry.Elements(Atom + "author"));
        }

        var summary = entries[0].Element(Atom + "summary")!;
        Assert.Equal("html", summary.Attribute("type")?.Value);
        Assert.Equal(feed.Entries[0].SummaryHtml, summary.Value);
        Assert.Empty(summary.Elements());
        Assert.Null(entries[0].Element(Atom + "content"));
        Assert.Equal("2025-10-28T10:30:00Z", entries[2].Element(Atom + "updated")!.Value);
    }

    [Fact]
    public void EntryWithPlainTextSummaryOnlyHasATextSummary()
    {
        var entry = Root(SampleFeeds.Section("atom")).Elements(Atom + "entry").ElementAt(SampleFeeds.TextOnlyEntry);

        var summary = entry.Element(Atom + "summary")!;
        Assert.Equal("text", summary.Attribute("type")?.Value);
        Assert.Equal(SampleFeeds.Entries()[SampleFeeds.TextOnlyEntry].SummaryText, summary.Value);
    }

    [Fact]
    public void EntryWithLinkButNoSummaryGetsItsTitleAsTextSummary()
    {
        // Not required by RFC 4287 when there is a link, but readers show textual content (validator: "Missing textual content").
        var entry = Root(SampleFeeds.Section("atom")).Elements(Atom + "entry").ElementAt(SampleFeeds.LinkOnlyEntry);

        Assert.Single(entry.Elements(Atom + "link"));
        Assert.Null(entry.Element(Atom + "content"));
        var summary = entry.Element(Atom + "summary")!;
        Assert.Equal("text", summary.Attribute("type")?.Value);
        Assert.Equal(SampleFeeds.Entries()[SampleFeeds.LinkOnlyEntry].Title, summary.Value);
    }

    [Fact]
    public void EntryWithoutLinkOrSummaryGetsItsTitleAsTextContent()
    {
        // RFC 4287 §4.1.2: an entry without an alternate link MUST have a content element.
        var entry = Root(SampleFeeds.Section("atom")).Elements(Atom + "entry").ElementAt(SampleFeeds.BareEntry);

        Assert.Empty(entry.Elements(Atom + "link"));
        Assert.Null(entry.Element(Atom + "summary"));
        var content = entry.Element(Atom + "content")!;
        Assert.Equal("text", content.Attribute("type")?.Value);
        Assert.Equal(SampleFeeds.Entries()[SampleFeeds.BareEntry].Title, content.Value);
    }

    [Fact]
    public void EntryWithoutLinkButWithHtmlSummaryCarriesItAsHtmlContent()
    {
        var feed = SampleFeeds.Section("atom");
        var entries = feed.Entries.Select(e => e with { Link = null }).ToList();
        var entry = Root(feed with { Entries = entries }).Elements(Atom + "entry").First();

        var content = entry.Element(Atom + "content")!;
        Assert.Equal("html", content.Attribute("type")?.Value);
        Assert.Equal(entries[0].SummaryHtml, content.Value);
        Assert.Null(entry.Element(Atom + "summary"));
    }

    [Fact]
    public void HubIsAFeedLink()
    {
        var links = LinksByRel(Root(SampleFeeds.SectionWithHub("atom")));

        Assert.Equal(SampleFeeds.HubUrl.AbsoluteUri, links["hub"].Attribute("href")?.Value);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/2.atom", links["prev-archive"].Attribute("href")?.Value);
        Assert.False(links.ContainsKey("current"));
    }

    [Fact]
    public void ArchiveHasHistoryLinksFhArchiveAndTheSubscriptionDocumentsId()
    {
        var root = Root(SampleFeeds.Archive("atom"));

        Assert.Equal(History.NamespaceName, root.Attribute(XNamespace.Xmlns + "fh")?.Value);
        FeedXml.AssertNamespacesOnlyOnRoot(root.Document!);
        Assert.Single(root.Elements(History + "archive"));
        Assert.Empty(root.Descendants(History + "complete"));

        var links = LinksByRel(root);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/2.atom", links["self"].Attribute("href")?.Value);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news.atom", links["current"].Attribute("href")?.Value);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/1.atom", links["prev-archive"].Attribute("href")?.Value);
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news/archive/3.atom", links["next-archive"].Attribute("href")?.Value);

        // One logical feed (RFC 5005 §4): the archive carries the id it is given, the subscription document's, not its own URL.
        Assert.Equal(SampleFeeds.Section("atom").Id, root.Element(Atom + "id")!.Value);

        // No feed-history relation inside entries (checklist 3.6), and metadata stays before entries.
        Assert.DoesNotContain(
            root.Elements(Atom + "entry").SelectMany(e => e.Elements(Atom + "link")),
            l => l.Attribute("rel")?.Value is "current" or "prev-archive" or "next-archive");
        var names = root.Elements().Select(e => e.Name).ToList();
        Assert.True(names.IndexOf(History + "archive") < names.IndexOf(Atom + "entry"));
    }

    [Fact]
    public void BlankDescriptionOmitsTheSubtitleAndBlankLanguageOmitsXmlLang()
    {
        var root = Root(SampleFeeds.Section("atom") with { Description = "", Language = "" });

        Assert.Null(root.Element(Atom + "subtitle"));
        Assert.Null(root.Attribute(XNamespace.Xml + "lang"));
    }
}
