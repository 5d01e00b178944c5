using System.Net;
using System.Xml.Linq;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Storage;

namespace CoopFeeds.Tests.Publishing;

/// <summary>RFC 5005 archived feeds: with FeedSize=3, the samples' ten items a section make three full archive pages each.</summary>
public sealed class ArchiveTests
{
    public static TheoryData<string, string> Feeds()
    {
        var data = new TheoryData<string, string>();
        foreach (var slug in Served.Sections.Append("all"))
        {
            data.Add(slug, "rss");
            data.Add(slug, "atom");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Feeds))]
    public async Task CrawlerFollowingPrevArchiveReachesEveryItemExactlyOnce(string slug, string extension)
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);
        var store = host.Services.GetRequiredService<IItemStore>();
        var expected = (await store.GetItemsAsync(new ItemQuery { Sections = slug == "all" ? null : [slug], Limit = 10_000 }, default))
            .Select(i => i.Item.Id).ToHashSet();

        var subscription = await Served.GetXmlAsync(host, $"feeds/{slug}.{extension}");
        var archived = new List<string>();
        var visited = new List<string>();
        var previous = Served.Link(subscription, "prev-archive");
        while (previous is not null)
        {
            Assert.DoesNotContain(previous, visited);
            visited.Add(previous);
            var archive = await Served.GetXmlAsync(host, Served.Relative(host, previous));
            Assert.Equal(3, Served.Ids(archive).Count);
            archived.AddRange(Served.Ids(archive));
            previous = Served.Link(archive, "prev-archive");
        }

        // Each item lies in exactly one archive page, or (not yet on a full page) in the subscription document.
        Assert.Equal(archived.Count, archived.Distinct().Count());
        Assert.Equal(expected.Count / 3, visited.Count);
        var reached = archived.Concat(Served.Ids(subscription)).ToHashSet();
        Assert.Equal(expected.Order(), reached.Order());
        Assert.All(expected.Except(archived), id => Assert.Contains(id, Served.Ids(subscription)));
    }

    [Theory]
    [InlineData("rss")]
    [InlineData("atom")]
    public async Task ArchiveDocumentsCarryFhArchiveCurrentAndNeighbourLinks(string extension)
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);
        var current = $"{host.Address}feeds/news.{extension}";

        var subscription = await Served.GetXmlAsync(host, $"feeds/news.{extension}");
        var oldest = await Served.GetXmlAsync(host, $"feeds/news/archive/1.{extension}");
        var middle = await Served.GetXmlAsync(host, $"feeds/news/archive/2.{extension}");
        var newest = await Served.GetXmlAsync(host, $"feeds/news/archive/3.{extension}");

        Assert.Equal($"{host.Address}feeds/news/archive/3.{extension}", Served.Link(subscription, "prev-archive"));
        Assert.Null(Served.Link(subscription, "current"));
        Assert.Empty(subscription.Descendants(Served.History + "archive"));
        Assert.Empty(subscription.Descendants(Served.History + "complete"));
        foreach (var archive in new[] { oldest, middle, newest })
        {
            Assert.Single(archive.Descendants(Served.History + "archive"));
            Assert.Equal(current, Served.Link(archive, "current"));
        }
        Assert.Null(Served.Link(oldest, "prev-archive"));
        Assert.Equal($"{host.Address}feeds/news/archive/2.{extension}", Served.Link(oldest, "next-archive"));
        Assert.Equal($"{host.Address}feeds/news/archive/1.{extension}", Served.Link(middle, "prev-archive"));
        Assert.Equal($"{host.Address}feeds/news/archive/3.{extension}", Served.Link(middle, "next-archive"));
        Assert.Null(Served.Link(newest, "next-archive"));
    }

    [Fact]
    public async Task ArchivePagesInInsertionOrderHoldTheStoresPages()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);
        var store = host.Services.GetRequiredService<IItemStore>();

        for (var page = 1; page <= 3; page++)
        {
            var stored = (await store.GetArchiveAsync("news", page, 3, default)).Select(i => i.Item.Id).Order();
            var served = Served.Ids(await Served.GetXmlAsync(host, $"feeds/news/archive/{page}.atom")).Order();
            Assert.Equal(stored, served);
        }
    }

    [Theory]
    [InlineData("feeds/news/archive/4.rss", "pages 1 to 3")]
    [InlineData("feeds/news/archive/0.atom", "pages 1 to 3")]
    [InlineData("feeds/news/archive/1.json", "Formats")]
    [InlineData("feeds/news/archive/01.atom", "No archive page 01 of 'news'")] // one address per document:
    [InlineData("feeds/news/archive/+1.atom", "No archive page +1 of 'news'")] // other spellings are not documents
    [InlineData("feeds/news/archive/1.ATOM", "Formats")]
    [InlineData("feeds/news/archive/1.atom/", "Formats")]
    [InlineData("feeds/news.RSS", "Formats")]
    [InlineData("feeds/news.rss/", "Formats")]
    public async Task OnlyFullArchivePagesExist(string path, string message)
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);

        using var response = await host.Client.GetAsync(path);

        await Served.AssertPlainTextProblemAsync(response, HttpStatusCode.NotFound, message);
    }

    [Fact]
    public async Task SubscriptionWithFewerItemsThanOnePageHasNoPrevArchive()
    {
        await using var host = await ServiceHost.StartAsync(null, "--Publishing:FeedSize=50");

        var subscription = await Served.GetXmlAsync(host, "feeds/news.atom");

        Assert.Null(Served.Link(subscription, "prev-archive"));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("feeds/news/archive/1.atom")).StatusCode);
    }

    [Fact]
    public async Task ArchivesAreCachedLongAndRevalidatedByETag()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);

        using var first = await host.Client.GetAsync("feeds/news/archive/1.rss");
        var body = await first.Content.ReadAsByteArrayAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/news/archive/1.rss");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await host.Client.SendAsync(request);

        Assert.Equal(TimeSpan.FromDays(1), first.Headers.CacheControl!.MaxAge);
        Assert.True(first.Headers.CacheControl.Public);
        Assert.Equal("1440", XDocument.Load(new MemoryStream(body)).Root!.Element("channel")!.Element("ttl")!.Value);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task FullArchiveBytesStayTheSameWhenNewItemsArrive()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);
        var before = await Served.GetBytesAsync(host, "feeds/news/archive/1.atom");
        var subscriptionBefore = await Served.GetBytesAsync(host, "feeds/news.atom");

        // A new item goes on the last page; the signal makes every cached document render again.
        var store = host.Services.GetRequiredService<IItemStore>();
        var item = new CoopFeeds.Core.Item
        {
            Id = "urn:uuid:00000000-0000-5000-8000-000000000001",
            IdentityKey = "example.org/new",
            SourceId = "ilo-newsroom-coop",
            Title = "A new story",
            Link = new Uri("https://example.org/new"),
            Published = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var attempted = DateTimeOffset.UtcNow;
        await store.SaveAsync(new SourceRun("ilo-newsroom-coop", "news"), [item],
            new IngestOutcome { Fetch = new() { Kind = OutcomeKind.Success }, AttemptedAt = attempted, NextAttemptAt = attempted.AddHours(1) }, default);
        host.Services.GetRequiredService<CoopFeeds.Changes.FeedChangeSignal>().Notify("news");

        Assert.Equal(before, await Served.GetBytesAsync(host, "feeds/news/archive/1.atom"));
        Assert.NotEqual(subscriptionBefore, await Served.GetBytesAsync(host, "feeds/news.atom"));
    }
}
