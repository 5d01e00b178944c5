using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Tests.Normalization;

public sealed class ItemIdentityTests
{
    [Theory]
    [InlineData("http://WWW.ilo.org/a?utm_source=x#top", "www.ilo.org/a")]
    [InlineData("https://www.ilo.org/a", "www.ilo.org/a")]
    [InlineData("https://www.ilo.org", "www.ilo.org/")]
    [InlineData("https://x.org/p?b=2&utm_medium=m&a=1&fbclid=z&gclid=q", "x.org/p?b=2&a=1")]
    [InlineData("https://x.org/p?UTM_Source=x&id=7", "x.org/p?id=7")]
    [InlineData("https://x.org/p?id=7&mc_cid=1&mc_eid=2&msclkid=3&dclid=4&yclid=5&_ga=6&igshid=7&ref_src=8", "x.org/p?id=7")]
    [InlineData("https://x.org/p?utm_source=a&utm_campaign=b", "x.org/p")]
    [InlineData("https://x.org/p?z=1&a=2", "x.org/p?z=1&a=2")] // order kept: some servers care
    [InlineData("https://x.org/p?ref=home", "x.org/p?ref=home")] // "ref" may mean something
    [InlineData("https://x.org/News/Item-A", "x.org/News/Item-A")] // path case kept
    [InlineData("http://x.org:80/a", "x.org/a")]
    [InlineData("https://x.org:443/a", "x.org/a")]
    [InlineData("https://x.org:8443/a", "x.org:8443/a")]
    [InlineData("https://user:secret@x.org/a", "x.org/a")]
    [InlineData("https://BÜCHER.example/a", "xn--bcher-kva.example/a")]
    public void KeyIsTheCanonicalLinkWithoutScheme(string link, string expected) =>
        Assert.Equal(expected, ItemIdentity.KeyFor(new Uri(link)));

    [Fact]
    public void HttpAndHttpsGiveTheSameKeyAndId()
    {
        var http = ItemIdentity.KeyFor(new Uri("http://www.ilo.org/a"));
        var https = ItemIdentity.KeyFor(new Uri("https://www.ilo.org/a#section"));

        Assert.Equal("www.ilo.org/a", http);
        Assert.Equal(http, https);
        Assert.Equal(ItemIdentity.FeedId(http), ItemIdentity.FeedId(https));
    }

    [Fact]
    public void ItemWithoutLinkIsKeyedBySourceAndTitleHash()
    {
        // sha256("Cooperatives in 2021"), first 32 hex digits.
        Assert.Equal("source:ilo-coop-news:a22432c002c456758db1d7052aba815d", ItemIdentity.KeyFor("ilo-coop-news", "Cooperatives in 2021"));
        Assert.NotEqual(ItemIdentity.KeyFor("ilo-coop-news", "Cooperatives in 2021"), ItemIdentity.KeyFor("other-source", "Cooperatives in 2021"));
    }

    [Fact]
    public void NameBasedUuidMatchesTheRfcAlgorithm()
    {
        // The well-known version 5 vector: DNS namespace (RFC 4122 Appendix C), name "www.example.com".
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), ItemIdentity.NameBasedUuid(dns, "www.example.com"));

        // URL namespace, checked against Python's uuid.uuid5.
        var url = new Guid("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("ef74dce0-f71d-5ba6-a424-e548a42da359"), ItemIdentity.NameBasedUuid(url, "https://www.ilo.org/"));
    }

    [Fact]
    public void FeedIdsNeverChange()
    {
        // Pinned: if either value changes, every item already published would reappear as new in readers.
        Assert.Equal(new Guid("d7a4e113-befc-4d3f-b446-30f7b525b351"), ItemIdentity.Namespace);
        Assert.Equal("urn:uuid:9957a9e8-14e2-569f-8c0b-95dfbdb0a61c", ItemIdentity.FeedId("www.ilo.org/a"));
        Assert.Equal("urn:uuid:faadbc6a-e5c3-53bf-8df4-08c7e242a307", ItemIdentity.FeedId(ItemIdentity.KeyFor("ilo-coop-news", "Cooperatives in 2021")));
    }

    [Fact]
    public void FeedIdIsAVersion5VariantRfcUuid()
    {
        var id = ItemIdentity.FeedId("www.ilo.org/a");
        var text = id["urn:uuid:".Length..];

        Assert.StartsWith("urn:uuid:", id);
        Assert.Equal('5', text[14]);
        Assert.Contains(text[19], "89ab");
    }
}
