using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>The page loop's rules, one per test, on pages made of raw items: no fetching, no parsing.</summary>
public sealed class ListingMergerTests
{
    private static readonly DateTimeOffset FetchedAt = new(2021, 10, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly Uri SavedPage = new("file:///srv/saved/site/page1.html");

    private static ConfiguredSource Web(int maxPages = 10) => LoadedSource.From($$"""
        { "Id": "s", "Section": "news", "Url": "https://www.example.coop/news/", "MaxPages": {{maxPages}},
          "Selectors": { "Item": "li", "Title": "a", "NextPage": "a[rel=next]@href" } }
        """);

    /// <summary>The source read from a saved copy, as <c>check --fixtures</c> does: the step only looks at Location and BaseUrl.</summary>
    private static ConfiguredSource Saved(string? baseUrl = "https://www.example.coop/news/") =>
        Web() with { Location = SavedPage, BaseUrl = baseUrl is null ? null : new Uri(baseUrl) };

    private static RawItem Raw(string title, string? summary = null, string? date = "7 October 2021") => new()
    {
        Title = title,
        Link = "/items/" + title,
        Date = date,
        SummaryHtml = summary,
        BaseUri = new Uri("https://placeholder.invalid/"),
    };

    /// <summary>Reads the page due as a reader would: its items resolved against its address, normalized, added.</summary>
    private static PageRequest? AddPage(ListingMerger listing, ConfiguredSource source, string? next, params RawItem[] items)
    {
        var request = listing.Next!;
        var address = UrlRedactor.WithoutCredentials(request.Address ?? request.Location); // as ListingDocument parses it
        RawItem[] raw = [.. items.Select(i => i with { BaseUri = address, Page = request.Number })];
        var page = new ListingPage(raw, next, new SelectorMatches { Items = raw.Length, NextPage = next is not null }, address);
        return listing.Add(page, ItemNormalizer.Normalize(source, raw, FetchedAt));
    }

    [Fact]
    public void TheFirstPageIsTheSourceLocation()
    {
        var request = new ListingMerger(Web(), knownKeys: null).Next;

        Assert.Equal(new PageRequest { Number = 1, Location = new Uri("https://www.example.coop/news/") }, request);
    }

    [Fact]
    public void ASavedPageIsReadFromItsFileWithItsBaseUrlAsAddress()
    {
        var request = new ListingMerger(Saved(), knownKeys: null).Next;

        Assert.Equal(new PageRequest { Number = 1, Location = SavedPage, Address = new Uri("https://www.example.coop/news/") }, request);
    }

    [Fact]
    public void AnItemOnTwoPagesKeepsItsFirstCopy()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        AddPage(listing, source, "?page=2", Raw("a"), Raw("b", summary: "<p>first</p>"));
        AddPage(listing, source, null, Raw("b", summary: "<p>second</p>"), Raw("c"));

        var merged = listing.Merged();
        Assert.Equal(["a", "b", "c"], merged.Items.Select(i => i.Title));
        Assert.Equal("first", merged.Items[1].Summary);
        Assert.Equal([2, 2], merged.Pages.Select(p => p.ItemCount));
        Assert.Empty(merged.Warnings);
    }

    [Fact]
    public void WarningsOfLaterPagesNameTheirPage()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        AddPage(listing, source, "?page=2", Raw("a", date: null));
        AddPage(listing, source, null, Raw("b", date: null));

        Assert.Equal(["Item \"a\" has no date.", "page 2: Item \"b\" has no date."], listing.Merged().Warnings);
    }

    [Fact]
    public void NextPageResolvesAgainstThePageWithoutItsFragment()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        var next = AddPage(listing, source, " archive/2?sort=new#top ", Raw("a"));

        // AbsoluteUri: Uri equality ignores the fragment.
        Assert.Equal("https://www.example.coop/news/archive/2?sort=new", next!.Location.AbsoluteUri);
        Assert.Equal((2, null), (next.Number, next.Address));
        Assert.Same(next, listing.Next);
    }

    [Fact]
    public void ANextPageOnTheSourcesSiteGetsItsCredentialsBackAndWarningsNeverShowThem()
    {
        var source = Web() with { Location = new Uri("https://reader:s3cret@www.example.coop/news/?token=t0k") };
        var listing = new ListingMerger(source, knownKeys: null);

        var second = AddPage(listing, source, "?page=2", Raw("a"));
        Assert.Equal("https://reader:s3cret@www.example.coop/news/?page=2", second!.Location.AbsoluteUri);
        listing.NotRead($"HTTP 401 from {second.Location}");

        var warning = Assert.Single(listing.Merged().Warnings);
        Assert.Equal("page 2 (https://***@www.example.coop/news/?page=2) not read: HTTP 401 from https://***@www.example.coop/news/?page=2", warning);
        Assert.Equal("https://www.example.coop/items/a", listing.Merged().Items.Single().Link!.AbsoluteUri);
    }

    [Fact]
    public void ANextPageOnAnotherSiteGetsNoCredentials()
    {
        var source = Web() with { Location = new Uri("https://reader:s3cret@www.example.coop/news/") };
        var listing = new ListingMerger(source, knownKeys: null);

        var second = AddPage(listing, source, "https://archive.example.coop/news/2", Raw("a"));

        Assert.Equal("https://archive.example.coop/news/2", second!.Location.AbsoluteUri);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    [InlineData("javascript:more()")]
    [InlineData("mailto:news@example.coop")]
    public void WithoutAnHttpNextPageTheListingIsComplete(string? next)
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        Assert.Null(AddPage(listing, source, next, Raw("a")));
        Assert.Null(listing.Next);
        Assert.Single(listing.Merged().Pages);
    }

    [Fact]
    public void MaxPagesStopsTheLoopQuietly()
    {
        var source = Web(maxPages: 2);
        var listing = new ListingMerger(source, knownKeys: null);

        AddPage(listing, source, "?page=2", Raw("a"));
        var third = AddPage(listing, source, "?page=3", Raw("b"));

        Assert.Null(third);
        Assert.Equal(2, listing.Merged().Pages.Count);
        Assert.Empty(listing.Merged().Warnings);
    }

    [Fact]
    public void APageAlreadyReadStopsTheLoopWithAWarning()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        AddPage(listing, source, "?page=2", Raw("a"));
        var back = AddPage(listing, source, "/news/", Raw("b"));

        Assert.Null(back);
        Assert.Equal(["a", "b"], listing.Merged().Items.Select(i => i.Title));
        Assert.Equal(["page 3 (https://www.example.coop/news/) was already read: stopped following NextPage"], listing.Merged().Warnings);
    }

    [Fact]
    public void ALaterRunStopsAtThePageWithNothingNew()
    {
        var source = Web();
        var known = new HashSet<string> { ItemIdentity.KeyFor(new Uri("https://www.example.coop/items/b")) };
        var listing = new ListingMerger(source, known);

        var second = AddPage(listing, source, "?page=2", Raw("a"), Raw("b"));
        var third = AddPage(listing, source, "?page=3", Raw("b"));

        Assert.NotNull(second); // "a" is new
        Assert.Null(third);
        Assert.Equal(["a", "b"], listing.Merged().Items.Select(i => i.Title));
        Assert.Empty(listing.Merged().Warnings);
    }

    [Fact]
    public void AFirstRunFollowsPagesWhateverTheyHold()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        Assert.NotNull(AddPage(listing, source, "?page=2"));
    }

    [Fact]
    public void ALaterPageNotReadKeepsThePagesBeforeAndSaysWhy()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);
        AddPage(listing, source, "?page=2", Raw("a"));

        listing.NotRead("NotFound HTTP 404");

        Assert.Null(listing.Next);
        var merged = listing.Merged();
        Assert.Equal(["a"], merged.Items.Select(i => i.Title));
        Assert.Equal(["page 2 (https://www.example.coop/news/?page=2) not read: NotFound HTTP 404"], merged.Warnings);
        Assert.Throws<InvalidOperationException>(() =>
            listing.Add(new ListingPage([], null, new SelectorMatches(), SavedPage), new NormalizationResult { Items = [], Warnings = [] }));
    }

    [Fact]
    public void ASavedPageFollowsARelativeLinkToTheFileBesideItAndKeepsThePublicAddress()
    {
        var source = Saved("https://www.example.coop/news/page1.html");
        var listing = new ListingMerger(source, knownKeys: null);

        var next = AddPage(listing, source, "page2.html?p=2#top", Raw("a"));

        Assert.Equal(2, next!.Number);
        Assert.Equal("file:///srv/saved/site/page2.html", next.Location.AbsoluteUri);
        Assert.Equal("https://www.example.coop/news/page2.html?p=2", next.Address!.AbsoluteUri);
        Assert.Equal("https://www.example.coop/items/a", listing.Merged().Items.Single().Link!.AbsoluteUri);
    }

    [Fact]
    public void ASavedPageWithoutBaseUrlFollowsFilesInItsFolderAndBelow()
    {
        var source = Saved(baseUrl: null);
        var listing = new ListingMerger(source, knownKeys: null);

        var next = AddPage(listing, source, "older/page2.html", Raw("a"));

        Assert.Equal(new PageRequest { Number = 2, Location = new Uri("file:///srv/saved/site/older/page2.html") }, next);
    }

    [Theory]
    [InlineData("https://www.example.coop/news/page2.html")]
    [InlineData("../outside.html")]
    [InlineData("/outside.html")]
    [InlineData("file:///etc/passwd")]
    public void ASavedPageNeverFollowsALinkOutOfItsFolder(string next)
    {
        var source = Saved();
        var listing = new ListingMerger(source, knownKeys: null);

        Assert.Null(AddPage(listing, source, next, Raw("a")));
        Assert.Equal([$"NextPage '{next}' was not followed: a saved page follows only relative links to other saved pages beside it"], listing.Merged().Warnings);
    }

    [Fact]
    public void ASavedPageWithoutBaseUrlNeverFollowsAFileOutsideItsFolder()
    {
        var source = Saved(baseUrl: null);
        var listing = new ListingMerger(source, knownKeys: null);

        Assert.Null(AddPage(listing, source, "../outside.html", Raw("a")));
        Assert.Contains(listing.Merged().Warnings, w => w.StartsWith("NextPage '../outside.html' was not followed", StringComparison.Ordinal));
    }

    [Fact]
    public void TheFirstPageMatchesAreKept()
    {
        var source = Web();
        var listing = new ListingMerger(source, knownKeys: null);

        AddPage(listing, source, "?page=2", Raw("a"), Raw("b"));
        AddPage(listing, source, null, Raw("c"));

        Assert.Equal(2, listing.Merged().FirstPageMatches!.Items);
    }
}
