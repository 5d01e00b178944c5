using System.Globalization;
using System.Net;
using System.Xml.Linq;

namespace CoopFeeds.Tests;

/// <summary>The whole service on the bundled samples: five sections, each in RSS and Atom, each listing its seed's items.</summary>
public sealed class EndToEndTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    public static TheoryData<string, string> Sections => new()
    {
        { "sse-resources", "ilo-sse-resources" },
        { "publications", "ilo-coop-publications" },
        { "news-stories", "ilo-coop-news-stories" },
        { "news", "ilo-newsroom-coop" },
        { "resources", "ilo-coop-resources" },
    };

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task RssFeedListsExactlyTheSeedItems(string section, string sourceId)
    {
        await using var host = await ServiceHost.StartAsync();
        var seed = SeedFile.ForSource(sourceId);

        using var response = await host.Client.GetAsync($"feeds/{section}.rss");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/rss+xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var channel = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("channel")!;
        var items = channel.Elements("item").ToList();

        Assert.Equal(seed.Count, items.Count);
        Assert.Equal(
            seed.Select(s => SeedFile.Collapse(s.Title)).Order(StringComparer.Ordinal),
            items.Select(i => SeedFile.Collapse(i.Element("title")!.Value)).Order(StringComparer.Ordinal));
        foreach (var item in items)
        {
            var title = SeedFile.Collapse(item.Element("title")!.Value);
            var want = seed.Single(s => SeedFile.Collapse(s.Title) == title);
            var published = DateTimeOffset.Parse(item.Element("pubDate")!.Value, CultureInfo.InvariantCulture);
            Assert.Equal(want.Date, DateOnly.FromDateTime(published.UtcDateTime));
            Assert.True(Uri.TryCreate(item.Element("link")!.Value, UriKind.Absolute, out var link) && link.Scheme is "http" or "https");
            Assert.Equal("false", item.Element("guid")!.Attribute("isPermaLink")!.Value);
        }
        Assert.Equal(items.Count, items.Select(i => i.Element("guid")!.Value).Distinct().Count());
        var dates = items.Select(i => DateTimeOffset.Parse(i.Element("pubDate")!.Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(dates.OrderByDescending(d => d), dates);
    }

    [Theory]
    [MemberData(nameof(Sections))]
    public async Task AtomFeedCarriesTheSameIdsAsRss(string section, string sourceId)
    {
        await using var host = await ServiceHost.StartAsync();
        var seed = SeedFile.ForSource(sourceId);

        var rss = XDocument.Parse(await host.Client.GetStringAsync($"feeds/{section}.rss"));
        using var response = await host.Client.GetAsync($"feeds/{section}.atom");
        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var atom = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var entries = atom.Root!.Elements(Atom + "entry").ToList();

        Assert.Equal(seed.Count, entries.Count);
        Assert.Equal(
            rss.Root!.Element("channel")!.Elements("item").Select(i => i.Element("guid")!.Value).Order(),
            entries.Select(e => e.Element(Atom + "id")!.Value).Order());
        foreach (var entry in entries)
        {
            var title = SeedFile.Collapse(entry.Element(Atom + "title")!.Value);
            var want = seed.Single(s => SeedFile.Collapse(s.Title) == title);
            var published = DateTimeOffset.Parse(entry.Element(Atom + "published")!.Value, CultureInfo.InvariantCulture);
            Assert.Equal(want.Date, DateOnly.FromDateTime(published.UtcDateTime));
            var href = entry.Elements(Atom + "link").Single(l => (string?)l.Attribute("rel") is null or "alternate").Attribute("href")!.Value;
            Assert.StartsWith("https://www.ilo.org/", href, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownSectionAnswers404NamingTheKnownSections()
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync("feeds/nope.rss");

        var body = await Publishing.Served.AssertPlainTextProblemAsync(response, HttpStatusCode.NotFound, "No feed at /feeds/nope.rss");
        foreach (var section in Sections.Select(r => (string)r[0]))
            Assert.Contains(section, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RssFeedAnswers304WhenETagMatches()
    {
        await using var host = await ServiceHost.StartAsync();

        using var first = await host.Client.GetAsync("feeds/news.rss");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var request = new HttpRequestMessage(HttpMethod.Get, "feeds/news.rss");
        request.Headers.IfNoneMatch.Add(etag!);
        using var second = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task HealthAndReadinessAnswerOnceTheFirstPassIsDone()
    {
        await using var host = await ServiceHost.StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("readyz")).StatusCode);
    }

    [Fact]
    public async Task IndexPageLinksEverySectionFeedWithAutodiscovery()
    {
        await using var host = await ServiceHost.StartAsync();

        var html = await host.Client.GetStringAsync("");

        foreach (var section in Sections.Select(r => (string)r[0]))
        {
            Assert.Contains($"<link rel=\"alternate\" type=\"application/rss+xml\"", html, StringComparison.Ordinal);
            Assert.Contains($"{host.Address}feeds/{section}.rss", html, StringComparison.Ordinal);
            Assert.Contains($"{host.Address}feeds/{section}.atom", html, StringComparison.Ordinal);
        }
    }
}
