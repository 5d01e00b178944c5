using System.Text.Json.Nodes;
using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>The result serializes to the shape the selector-suggestion issue fixes, and the page's own feeds are named.</summary>
public sealed class SuggestionJsonTests
{
    [Fact]
    public async Task TheResultHasExactlyTheIssuesShape()
    {
        var page = Suggest.WithChrome(Suggest.Articles(4)).Replace("<head>", """
            <head><link rel="alternate" type="application/rss+xml" title="News" href="/news/feed/">
            <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
            <link rel="alternate" hreflang="fr" href="/fr/news/">
            """, StringComparison.Ordinal);

        var json = JsonNode.Parse(SuggestionJson.Serialize(await Suggest.PageAsync(page)))!.AsObject();

        Assert.Equal(["url", "feeds", "problems", "candidates"], json.Select(p => p.Key));
        Assert.Equal("https://coop.example.org/news/", (string?)json["url"]);
        Assert.Equal(["https://coop.example.org/news/feed/"], json["feeds"]!.AsArray().Select(f => (string?)f));
        var candidate = json["candidates"]![0]!.AsObject();
        Assert.Equal(["score", "evidence", "source", "itemCount", "items"], candidate.Select(p => p.Key));
        var source = candidate["source"]!.AsObject();
        Assert.Equal(["Selectors", "DateFormats", "Cultures"], source.Select(p => p.Key));
        Assert.Equal(["Item", "Title", "Date", "Summary", "Category"], source["Selectors"]!.AsObject().Select(p => p.Key));
        Assert.Equal(4, (int)candidate["itemCount"]!);
        var item = candidate["items"]![0]!.AsObject();
        Assert.Equal(["id", "title", "link", "date", "summary", "category"], item.Select(p => p.Key));
        Assert.InRange((double)candidate["score"]!, 0, 1);
    }

    [Fact]
    public async Task ItemsKeepTheirNullFieldsAsPreviewPrintsThem()
    {
        var items = string.Concat(Enumerable.Range(1, 3).Select(i => $"""<li class="doc"><a href="/docs/{i}">Guide number {i} for new cooperatives</a></li>"""));

        var json = JsonNode.Parse(SuggestionJson.Serialize(await Suggest.PageAsync(Suggest.WithChrome($"<ul>{items}</ul>"))))!;

        var item = json["candidates"]![0]!["items"]![0]!.AsObject();
        Assert.True(item.ContainsKey("date") && item["date"] is null);
        Assert.True(item.ContainsKey("summary") && item["summary"] is null);
        Assert.True(item.ContainsKey("category") && item["category"] is null);
    }

    [Fact]
    public async Task APageWithNoListStillGivesTheWholeShape()
    {
        var json = JsonNode.Parse(SuggestionJson.Serialize(await Suggest.PageAsync("<html><body></body></html>")))!.AsObject();

        Assert.Equal(["url", "feeds", "problems", "candidates"], json.Select(p => p.Key));
        Assert.Empty(json["candidates"]!.AsArray());
        Assert.NotEmpty(json["problems"]!.AsArray());
    }
}
