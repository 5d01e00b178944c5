using System.Xml.Linq;

namespace CoopFeeds.Tests.Publishing;

/// <summary>The Atom feed id (RFC 4287 §4.2.6) names the logical feed, never the address it was fetched from.</summary>
public sealed class FeedIdentityTests
{
    [Fact]
    public async Task AtomIdIsTheSameWhateverHostTheRequestNamed()
    {
        // No Publishing:PublicBaseUrl: links follow the request's Host, the id must not.
        await using var host = await ServiceHost.StartAsync();

        var viaLoopback = await AtomIdAsync(host, "feeds/news.atom", "127.0.0.1");
        var viaName = await AtomIdAsync(host, "feeds/news.atom", "feeds.example.org");

        Assert.Equal(viaLoopback, viaName);
        Assert.StartsWith("urn:uuid:", viaLoopback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AtomIdDiffersBetweenSectionsAndFilteredViewsButNotBetweenSpellingsOfOneFilter()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);

        var news = await AtomIdAsync(host, "feeds/news.atom");
        var all = await AtomIdAsync(host, "feeds/all.atom");
        var publications = await AtomIdAsync(host, "feeds/publications.atom");
        var limited = await AtomIdAsync(host, "feeds/news.atom?limit=2");
        var filtered = await AtomIdAsync(host, "feeds/news.atom?category=News&q=ILO%20coop");
        var sameFilterOtherwiseWritten = await AtomIdAsync(host, "feeds/news.atom?q=coop++ilo&category=news&category=NEWS");

        Assert.Equal(5, new[] { news, all, publications, limited, filtered }.Distinct().Count());
        Assert.Equal(filtered, sameFilterOtherwiseWritten);
    }

    [Fact]
    public async Task ArchiveDocumentsShareTheSubscriptionDocumentsId()
    {
        await using var host = await ServiceHost.StartAsync(null, Served.SmallPagesNoLimit);

        var subscription = await AtomIdAsync(host, "feeds/news.atom");

        Assert.Equal(subscription, await AtomIdAsync(host, "feeds/news/archive/1.atom"));
        Assert.Equal(subscription, await AtomIdAsync(host, "feeds/news/archive/3.atom"));
    }

    private static async Task<string> AtomIdAsync(ServiceHost host, string path, string? hostHeader = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (hostHeader is not null) request.Headers.Host = hostHeader;
        using var response = await host.Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        if (hostHeader is not null)
            Assert.StartsWith($"http://{hostHeader}/", Served.Link(feed.Document!, "self"), StringComparison.Ordinal);
        return feed.Element(Served.Atom + "id")!.Value;
    }
}
