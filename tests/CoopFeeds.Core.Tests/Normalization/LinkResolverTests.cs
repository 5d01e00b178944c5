using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Tests.Normalization;

public sealed class LinkResolverTests
{
    private static readonly Uri Listing = new("https://www.ilo.org/news/list.html");

    [Theory]
    [InlineData("item-1.html", "https://www.ilo.org/news/item-1.html")]
    [InlineData("../about/", "https://www.ilo.org/about/")]
    [InlineData("/global/item-1", "https://www.ilo.org/global/item-1")]
    [InlineData("//cdn.ilo.org/item-1", "https://cdn.ilo.org/item-1")]
    [InlineData("https://other.org/a", "https://other.org/a")]
    [InlineData("HTTP://Other.org/A", "http://other.org/A")]
    [InlineData("  /a \n", "https://www.ilo.org/a")]
    [InlineData("/a#comments", "https://www.ilo.org/a")]
    [InlineData("?page=2&id=7", "https://www.ilo.org/news/list.html?page=2&id=7")]
    [InlineData("a b.html", "https://www.ilo.org/news/a%20b.html")]
    public void ResolvesAgainstTheBaseUri(string raw, string expected) =>
        Assert.Equal(new Uri(expected), LinkResolver.Resolve(raw, Listing));

    [Fact]
    public void ProtocolRelativeLinkTakesTheBaseScheme() =>
        Assert.Equal(new Uri("http://cdn.ilo.org/x"), LinkResolver.Resolve("//cdn.ilo.org/x", new Uri("http://www.ilo.org/news/")));

    [Fact]
    public void BaseHrefIsWhatTheExtractorPutInBaseUri()
    {
        // <base href="https://static.ilo.org/archive/"> on https://www.ilo.org/news/: the extractor hands us the base.
        var baseUri = new Uri("https://static.ilo.org/archive/");

        Assert.Equal(new Uri("https://static.ilo.org/archive/item-1.html"), LinkResolver.Resolve("item-1.html", baseUri));
    }

    [Theory]
    [InlineData("javascript:void(0)")]
    [InlineData(" JavaScript:alert(1)")]
    [InlineData("java\nscript:alert(1)")]
    [InlineData("\u0001javascript:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=")]
    [InlineData("mailto:press@ilo.org")]
    public void ScriptDataAndMailLinksAreRejected(string raw)
    {
        Assert.True(LinkResolver.HasRejectedScheme(raw));
        Assert.Null(LinkResolver.Resolve(raw, Listing));
    }

    [Theory]
    [InlineData("ftp://ftp.ilo.org/file")]
    [InlineData("tel:+41227996111")]
    [InlineData("#")]
    [InlineData("#item-3")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("list.html")] // the listing itself
    [InlineData("list.html#item-3")]
    [InlineData("https://www.coop\uFFFDratives.fr/news")] // an accented domain decoded wrongly: IDNA refuses it (Uri.IdnHost used to throw)
    [InlineData("https://a\u200Db.org/x")]
    [InlineData("//\u0300a.org/x")]
    public void OtherLinksGiveNoLinkButDoNotDropTheItem(string? raw)
    {
        Assert.Null(LinkResolver.Resolve(raw, Listing));
        Assert.False(LinkResolver.HasRejectedScheme(raw));
    }

    [Fact]
    public void SavedPageWithoutHttpBaseKeepsOnlyAbsoluteHttpLinks()
    {
        var file = new Uri("file:///srv/samples/pages/ilo.html");

        Assert.Null(LinkResolver.Resolve("item-1.html", file));
        Assert.Equal(new Uri("https://www.ilo.org/a"), LinkResolver.Resolve("https://www.ilo.org/a", file));
    }
}
