using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>The extractor reads raw strings as a reader sees the page: one behaviour per test, on a small page.</summary>
public sealed class ListingExtractorTests
{
    private static readonly Uri Address = new("https://www.example.coop/news/");

    private static FieldSelector Selector(string text) =>
        FieldSelector.TryParse(text, out var error) ?? throw new ArgumentException(error, nameof(text));

    private static async Task<ListingPage> ExtractAsync(string html, string item, string title, string? link = null, string? date = null, string? group = null)
    {
        using var document = await ListingDocument.ParseAsync(html, Address, CancellationToken.None);
        return ListingExtractor.Extract(document, new ListingSelectors
        {
            Item = Selector(item),
            Title = Selector(title),
            Link = link is null ? null : Selector(link),
            Date = date is null ? null : Selector(date),
            Group = group is null ? null : Selector(group),
        });
    }

    [Theory]
    [InlineData(":scope > h2")]
    [InlineData("> h2")]
    [InlineData("h2")]
    public async Task ScopeSelectorsAreRelativeToTheItem(string title)
    {
        var page = await ExtractAsync(
            "<div class='item'><h2>A</h2><div><h2>Inner</h2></div></div><div class='item'><p>x</p><h2>B</h2></div>", "div.item", title);

        Assert.Equal(["A", "B"], page.Items.Select(i => i.Title));
    }

    [Fact]
    public async Task TitleTextLeavesOutScriptsAndSeparatesLinesAndBlocks()
    {
        var page = await ExtractAsync(
            "<article><h2>Platform co-ops:<br>who owns<script>document.write('x')</script> the app?<div>Long read</div></h2></article>", "article", "h2");

        // Raw: normalization collapses the spaces.
        Assert.Equal("Platform co-ops: who owns the app? Long read", CoopFeeds.Core.Normalization.TextCleaner.Clean(page.Items.Single().Title));
    }

    [Fact]
    public async Task AnImageTitleWithoutAltIsEmptyNotAnError()
    {
        var page = await ExtractAsync("<a class='card' href='/x'><img src='a.jpg'></a>", "a.card", "img");

        Assert.Equal("", page.Items.Single().Title);
    }

    [Theory]
    [InlineData(".head")]
    [InlineData(".head img")]
    public async Task ATitleThatIsOnlyAnImageReadsItsAltText(string title)
    {
        var page = await ExtractAsync(
            "<a class='card' href='/x'><div class='head'><img src='logo.png' alt='Coffee growers open a roastery'></div></a>", "a.card", title, link: "@href");

        var item = page.Items.Single();
        Assert.Equal("Coffee growers open a roastery", item.Title);
        Assert.Equal("/x", item.Link);
    }

    [Fact]
    public async Task ALazyImageAndItsNoscriptCopyGiveTheAltOnce()
    {
        var page = await ExtractAsync(
            "<a class='card' href='/x'><div class='head'><img data-src='a.jpg' alt='Roastery'><noscript><img src='a.jpg' alt='Roastery'></noscript></div></a>",
            "a.card", ".head");

        Assert.Equal("Roastery", page.Items.Single().Title);
    }

    [Fact]
    public async Task ADateSelectorOnAWrapperPrefersTheTimeElementsDatetime()
    {
        var page = await ExtractAsync(
            "<div class='post'><h2>T</h2><p class='byline'>Ana · <time datetime='2021-10-14T18:20:00Z'>14 Oct 2021</time></p></div>", "div.post", "h2", date: ".byline");

        Assert.Equal("2021-10-14T18:20:00Z", page.Items.Single().Date);
    }

    [Theory]
    [InlineData("<abbr class='published' title='2021-10-07T10:00:00+02:00'>October 7</abbr>", ".published", "2021-10-07T10:00:00+02:00")]
    [InlineData("<div class='created'><span property='dc:date' content='2021-10-07T00:00:00+01:00'>07/10/2021</span></div>", ".created", "2021-10-07T00:00:00+01:00")]
    [InlineData("<p class='meta'><meta itemprop='datePublished' content='2021-10-07'>7 Oct</p>", ".meta", "2021-10-07")]
    [InlineData("<abbr class='published' title='Thursday'>7 October 2021</abbr>", ".published", "7 October 2021")] // not a machine date
    [InlineData("<p class='meta'><span content='Jane'>By Jane</span>, 7 October 2021</p>", ".meta", "By Jane, 7 October 2021")]
    public async Task MachineReadableDatesInMicroformatsAndRdfaWinOverTheWords(string inner, string date, string expected)
    {
        var page = await ExtractAsync($"<article><h2>T</h2>{inner}</article>", "article", "h2", date: date);

        Assert.Equal(expected, page.Items.Single().Date);
    }

    [Theory]
    [InlineData("<h2><a href='javascript:void(0)'>T</a></h2><a href='/real'>Read more</a>", "/real")]
    [InlineData("<h2><a href='#'>T</a></h2><a href='mailto:a@b.org'>Mail</a><a href='/real'>Download</a>", "/real")]
    [InlineData("<h2><a href='/title'>T</a></h2><a href='/more'>Read more</a>", "/title")]
    [InlineData("<h2><a href='javascript:open()'>T</a></h2>", "javascript:open()")] // the only one: normalization drops the item and says why
    public async Task TheDefaultLinkIsTheFirstThatLeadsToAPage(string inner, string expected)
    {
        var page = await ExtractAsync($"<article>{inner}</article>", "article", "h2");

        Assert.Equal(expected, page.Items.Single().Link);
    }

    [Fact]
    public async Task ItemsInsideItemsAreKeptAndCountedSoTheMaintainerIsTold()
    {
        var page = await ExtractAsync(
            "<article class='post'><h2><a href='/a'>A</a></h2><aside><article class='post'><h2><a href='/r'>Related</a></h2></article></aside></article>",
            "article.post", "h2");

        Assert.Equal(["A", "Related"], page.Items.Select(i => i.Title));
        Assert.Equal([false, true], page.Items.Select(i => i.InsideItem));
        Assert.Equal(1, page.Matches.NestedItems);

        var result = CoopFeeds.Core.Normalization.ItemNormalizer.Normalize(
            LoadedSource.From("""{ "Id": "s", "Section": "news", "Url": "https://www.example.coop/news/", "Selectors": { "Item": "article.post", "Title": "h2" } }"""),
            page.Items, DateTimeOffset.UnixEpoch);
        Assert.Contains(result.Warnings, w => w.StartsWith("1 item(s) on page 1 sit inside another item (first: \"Related\")", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupHeadingsMatchedByTheItemSelectorAreContextNotItems()
    {
        var page = await ExtractAsync(
            "<ul><li class='month'>March 2022</li><li><a href='/a'>A</a> <span>Thu 03</span></li><li class='month'>April 2022</li><li><a href='/b'>B</a></li></ul>",
            "ul > li", "a", date: "span", group: "li.month");

        Assert.Equal(["A", "B"], page.Items.Select(i => i.Title));
        Assert.Equal(["March 2022", "April 2022"], page.Items.Select(i => i.Group));
        Assert.Equal(2, page.Matches.GroupHeadings);
    }
}
