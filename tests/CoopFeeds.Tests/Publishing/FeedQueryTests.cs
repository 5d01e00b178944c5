using System.Net;
using System.Text.Json;
using CoopFeeds.Storage;

namespace CoopFeeds.Tests.Publishing;

/// <summary>The partner filters ?category= (repeatable), ?q= and ?limit=, and the 400s that name what is wrong.</summary>
public sealed class FeedQueryTests
{
    [Fact]
    public async Task CategoryFilterKeepsOnlyThatCategoryIgnoringCase()
    {
        await using var host = await ServiceHost.StartAsync();

        var items = await ItemsAsync(host, "feeds/all.json?category=news&limit=500");
        var everything = await ItemsAsync(host, "feeds/all.json?limit=500");

        Assert.NotEmpty(items);
        Assert.Equal(
            everything.Where(i => i.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.GetString() == "News")).Select(Id).Order(),
            items.Select(Id).Order());
        Assert.All(items, i => Assert.Contains("News", i.GetProperty("tags").EnumerateArray().Select(t => t.GetString())));
    }

    [Fact]
    public async Task RepeatedCategoriesKeepItemsOfAnyOfThem()
    {
        await using var host = await ServiceHost.StartAsync();

        var news = await ItemsAsync(host, "feeds/news.json?category=News&limit=500");
        var video = await ItemsAsync(host, "feeds/news.json?category=Video&limit=500");
        var either = await ItemsAsync(host, "feeds/news.json?category=News&category=Video&limit=500");

        Assert.NotEmpty(news);
        Assert.NotEmpty(video);
        Assert.Equal(news.Concat(video).Select(Id).Order(), either.Select(Id).Order());
    }

    [Fact]
    public async Task TextFilterNeedsEveryWordInTitleOrSummary()
    {
        await using var host = await ServiceHost.StartAsync();

        var items = await ItemsAsync(host, "feeds/all.json?q=Jordan%20labour&limit=500");

        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            var text = i.GetProperty("title").GetString() + " " + (i.TryGetProperty("summary", out var s) ? s.GetString() : "");
            Assert.Contains("jordan", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("labour", text, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task LimitCapsTheItemCount()
    {
        await using var host = await ServiceHost.StartAsync();
        var stored = await host.Services.GetRequiredService<IItemStore>().CountItemsAsync(new ItemQuery(), default);

        var two = await ItemsAsync(host, "feeds/all.json?limit=2");
        var every = await ItemsAsync(host, "feeds/all.json?limit=500");

        Assert.InRange(stored, 3, 499); // more items than the small limit, fewer than the large one
        Assert.Equal(every.Take(2).Select(Id), two.Select(Id));
        Assert.Equal(stored, every.Count);
    }

    [Theory]
    [InlineData("feeds/news.rss?sort=date", "unknown parameter 'sort'")]
    [InlineData("feeds/news.rss?limit=0", "'limit' must be a whole number from 1 to 20 (got '0')")]
    [InlineData("feeds/news.rss?limit=21", "'limit' must be a whole number from 1 to 20 (got '21')")]
    [InlineData("feeds/news.rss?limit=abc", "(got 'abc')")]
    [InlineData("feeds/news.rss?limit=5%00", "'limit' must be a whole number from 1 to 20 (got '5%00')")]
    [InlineData("feeds/news.rss?limit=%2B5", "(got '%2B5')")]
    [InlineData("feeds/news.rss?q=coop%00", "'q' must not contain control characters")]
    [InlineData("feeds/news.rss?category=News%1B", "'category' must not contain control characters")]
    [InlineData("feeds/news.rss?limit=1&limit=2", "'limit' may be given once")]
    [InlineData("feeds/news.rss?q=", "'q' must be between 1 and 200 characters")]
    [InlineData("feeds/news.rss?q=a&q=b", "'q' may be given once")]
    [InlineData("feeds/news.rss?category=", "'category' must be between 1 and 200 characters")]
    [InlineData("feeds/news/archive/1.rss?limit=2", "archive documents take no parameters")]
    public async Task MalformedOrUnknownParametersAnswer400NamingThem(string path, string message)
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:MaxLimit=20", "--Publishing:FeedSize=3");

        using var response = await host.Client.GetAsync(path);

        await Served.AssertPlainTextProblemAsync(response, HttpStatusCode.BadRequest, message);
    }

    [Fact]
    public async Task EveryProblemIsNamedInOneAnswer()
    {
        await using var host = await ServiceHost.StartAsync();

        var body = await (await host.Client.GetAsync("feeds/news.atom?foo=1&limit=x")).Content.ReadAsStringAsync();

        Assert.Contains("unknown parameter 'foo'", body, StringComparison.Ordinal);
        Assert.Contains("'limit' must be", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FilteredFeedsHaveNoArchiveLinks()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:FeedSize=3");

        var filtered = await Served.GetXmlAsync(host, "feeds/news.atom?limit=3");
        var subscription = await Served.GetXmlAsync(host, "feeds/news.atom");

        Assert.Null(Served.Link(filtered, "prev-archive"));
        Assert.NotNull(Served.Link(subscription, "prev-archive"));
    }

    private static string Id(JsonElement item) => item.GetProperty("id").GetString()!;

    private static async Task<List<JsonElement>> ItemsAsync(ServiceHost host, string path)
    {
        using var json = JsonDocument.Parse(await Served.GetBytesAsync(host, path));
        return json.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
