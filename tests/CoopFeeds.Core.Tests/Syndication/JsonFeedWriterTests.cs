using System.Globalization;
using System.Text;
using System.Text.Json;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core.Tests.Syndication;

public sealed class JsonFeedWriterTests
{
    private static JsonElement Root(FeedDocument feed)
    {
        var bytes = new JsonFeedWriter().Write(feed);
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "output starts with a UTF-8 BOM");
        using var document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    [Fact]
    public void TopLevelHasEveryFieldJsonFeed11AsksOfAPublicFeed()
    {
        var feed = SampleFeeds.Section("json");
        var root = Root(feed);

        Assert.Equal("https://jsonfeed.org/version/1.1", root.GetProperty("version").GetString());
        Assert.Equal(feed.Title, root.GetProperty("title").GetString());
        Assert.Equal("https://feeds.coopfeeds.example/sections/news", root.GetProperty("home_page_url").GetString());
        Assert.Equal("https://feeds.coopfeeds.example/feeds/news.json", root.GetProperty("feed_url").GetString());
        Assert.Equal(feed.Description, root.GetProperty("description").GetString());
        Assert.Equal("en", root.GetProperty("language").GetString());
        var author = Assert.Single(root.GetProperty("authors").EnumerateArray());
        Assert.Equal("CoopFeeds", author.GetProperty("name").GetString());
        Assert.False(root.TryGetProperty("author", out _), "the 1.0 'author' is deprecated in 1.1");
        Assert.False(root.TryGetProperty("hubs", out _));
        Assert.Equal(10, root.GetProperty("items").GetArrayLength());

        // Extension keys would start with '_' (JSON Feed 1.1 "Extensions"); we write none.
        Assert.All(root.EnumerateObject(), p => Assert.DoesNotContain('.', p.Name));
    }

    [Fact]
    public void ItemsHaveStringIdsUrlsContentDatesAndTags()
    {
        var feed = SampleFeeds.Section("json");
        var items = Root(feed).GetProperty("items").EnumerateArray().ToList();

        for (var i = 0; i < items.Count; i++)
        {
            var expected = feed.Entries[i];
            var item = items[i];

            Assert.Equal(JsonValueKind.String, item.GetProperty("id").ValueKind);
            Assert.Equal(expected.Id, item.GetProperty("id").GetString());
            Assert.Equal(expected.Title, item.GetProperty("title").GetString());
            FeedAssert.SameLink(expected.Link, item.TryGetProperty("url", out var url) ? url.GetString() : null);

            // "Items": content_html or content_text is required.
            Assert.True(item.TryGetProperty("content_html", out _) || item.TryGetProperty("content_text", out _));

            var published = item.GetProperty("date_published").GetString()!;
            var modified = item.GetProperty("date_modified").GetString()!;
            Assert.Matches(FeedXml.Rfc3339Pattern, published);
            Assert.Matches(FeedXml.Rfc3339Pattern, modified);
            Assert.Equal(expected.Published, DateTimeOffset.Parse(published, CultureInfo.InvariantCulture));
            Assert.Equal(expected.Updated, DateTimeOffset.Parse(modified, CultureInfo.InvariantCulture));

            var tags = item.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            Assert.Equal(expected.Categories, tags);
        }

        Assert.Equal(feed.Entries[0].SummaryHtml, items[0].GetProperty("content_html").GetString());
        Assert.Equal(feed.Entries[0].SummaryText, items[0].GetProperty("summary").GetString());
        Assert.False(items[0].TryGetProperty("content_text", out _));
    }

    [Fact]
    public void ItemWithoutHtmlFallsBackToTextContentThenToTheTitle()
    {
        var items = Root(SampleFeeds.Section("json")).GetProperty("items").EnumerateArray().ToList();
        var entries = SampleFeeds.Entries();

        Assert.Equal(entries[SampleFeeds.TextOnlyEntry].SummaryText, items[SampleFeeds.TextOnlyEntry].GetProperty("content_text").GetString());
        Assert.Equal(entries[SampleFeeds.BareEntry].Title, items[SampleFeeds.BareEntry].GetProperty("content_text").GetString());
        Assert.False(items[SampleFeeds.BareEntry].TryGetProperty("content_html", out _));
        Assert.False(items[SampleFeeds.BareEntry].TryGetProperty("url", out _));
    }

    [Fact]
    public void HubIsListedAsWebSub()
    {
        var hub = Assert.Single(Root(SampleFeeds.SectionWithHub("json")).GetProperty("hubs").EnumerateArray());

        Assert.Equal("WebSub", hub.GetProperty("type").GetString());
        Assert.Equal(SampleFeeds.HubUrl.AbsoluteUri, hub.GetProperty("url").GetString());
    }

    [Fact]
    public void IdsEqualTheRssGuidsAndAtomIds()
    {
        var json = Root(SampleFeeds.Section("json")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString());
        var rss = FeedXml.Parse(new Rss20Writer().Write(SampleFeeds.Section("rss"))).Descendants("guid").Select(g => g.Value);
        var atom = FeedXml.Parse(new Atom10Writer().Write(SampleFeeds.Section("atom")))
            .Root!.Elements(FeedXml.Atom + "entry").Select(e => e.Element(FeedXml.Atom + "id")!.Value);

        Assert.Equal(rss, json);
        Assert.Equal(atom, json);
    }

    [Fact]
    public void OutputIsIndentedWithLineFeedsOnly()
    {
        var text = Encoding.UTF8.GetString(new JsonFeedWriter().Write(SampleFeeds.Section("json")));

        Assert.StartsWith("{\n  \"version\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', text);
    }
}
