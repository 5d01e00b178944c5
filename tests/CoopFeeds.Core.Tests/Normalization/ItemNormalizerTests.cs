using System.Globalization;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Normalization;

public sealed class ItemNormalizerTests
{
    private static readonly Uri Listing = new("https://www.ilo.org/news/list.html");
    private static readonly DateTimeOffset FetchedAt = new(2021, 10, 15, 12, 0, 0, TimeSpan.Zero);

    private static readonly ConfiguredSource Source = LoadedSource.From("""
        { "Id": "ilo-coop-news", "Section": "news", "Url": "https://www.ilo.org/news/list.html",
          "Selectors": { "Item": "article", "Title": "h3" }, "TimeZone": "Europe/Paris" }
        """);

    private static RawItem Raw(string? title, string? link = null, string? date = "7 October 2021", string? summary = null) => new()
    {
        Title = title,
        Link = link,
        Date = date,
        SummaryHtml = summary,
        BaseUri = Listing,
    };

    [Fact]
    public void NormalizesAWholeItem()
    {
        var raw = new RawItem
        {
            Title = "  Cooperatives &amp; the\u00A0future\n",
            Link = "item-1.html?utm_source=rss#top",
            Date = "Published on 7 October 2021 | News",
            SummaryHtml = "<p onclick=\"x()\">Read <a href=\"/about\">about</a> it.</p><script>x()</script>",
            Category = " Press\u200B release ",
            Group = "October 2021",
            BaseUri = Listing,
        };

        var result = ItemNormalizer.Normalize(Source, [raw], FetchedAt);

        var item = Assert.Single(result.Items);
        Assert.Empty(result.Warnings);
        Assert.Equal("Cooperatives & the future", item.Title);
        Assert.Equal(new Uri("https://www.ilo.org/news/item-1.html?utm_source=rss"), item.Link);
        Assert.Equal("www.ilo.org/news/item-1.html", item.IdentityKey);
        Assert.Equal(ItemIdentity.FeedId("www.ilo.org/news/item-1.html"), item.Id);
        Assert.Equal("ilo-coop-news", item.SourceId);
        Assert.Equal(new DateTimeOffset(2021, 10, 7, 0, 0, 0, TimeSpan.FromHours(2)), item.Published);
        Assert.Equal(TimeSpan.FromHours(2), item.Published!.Value.Offset);
        Assert.Equal("<p>Read <a href=\"https://www.ilo.org/about\">about</a> it.</p>", item.SummaryHtml);
        Assert.Equal("Read about it.", item.Summary);
        Assert.Equal("Press release", item.Category);
    }

    [Fact]
    public void KeepsPageOrder()
    {
        var result = ItemNormalizer.Normalize(Source, [Raw("C", "/c"), Raw("A", "/a"), Raw("B", "/b")], FetchedAt);

        Assert.Equal(["C", "A", "B"], result.Items.Select(i => i.Title));
    }

    [Fact]
    public void DuplicatesCollapseIntoTheFirst()
    {
        var result = ItemNormalizer.Normalize(Source,
        [
            Raw("Featured: Coops", "https://www.ilo.org/a?utm_source=home", date: null),
            Raw("Other", "/b"),
            Raw("Coops", "http://WWW.ilo.org/a#more", summary: "<p>Longer</p>"),
        ], FetchedAt);

        Assert.Equal(["Featured: Coops", "Other"], result.Items.Select(i => i.Title));
        Assert.Null(result.Items[0].Summary);
        Assert.Contains(result.Warnings, w => w.Contains("\"Coops\"") && w.Contains("repeats an earlier item"));
    }

    [Fact]
    public void ItemsWithoutLinkDeduplicateOnTitle()
    {
        var result = ItemNormalizer.Normalize(Source, [Raw("Same"), Raw(" Same "), Raw("Different")], FetchedAt);

        Assert.Equal(["Same", "Different"], result.Items.Select(i => i.Title));
        Assert.Equal(ItemIdentity.KeyFor("ilo-coop-news", "Same"), result.Items[0].IdentityKey);
        Assert.Null(result.Items[0].Link);
        Assert.Contains(result.Warnings, w => w == "Item \"Same\" has no link.");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \u00A0\u200B ")]
    [InlineData("&nbsp;")]
    public void EmptyTitleIsDroppedWithAWarning(string? title)
    {
        var result = ItemNormalizer.Normalize(Source, [Raw(title, "/a"), Raw("Kept", "/b")], FetchedAt);

        Assert.Equal(["Kept"], result.Items.Select(i => i.Title));
        Assert.Contains(result.Warnings, w => w.StartsWith("Dropped item 1 (page 1): its title is empty"));
    }

    [Theory]
    [InlineData("javascript:void(0)")]
    [InlineData("data:text/html,hi")]
    [InlineData("vbscript:x")]
    [InlineData("mailto:press@ilo.org")]
    public void ItemWhoseOnlyLinkIsScriptOrMailIsDroppedWithAWarning(string link)
    {
        var result = ItemNormalizer.Normalize(Source, [Raw("Subscribe", link), Raw("Kept", "/b")], FetchedAt);

        Assert.Equal(["Kept"], result.Items.Select(i => i.Title));
        Assert.Contains(result.Warnings, w => w.StartsWith("Dropped Item \"Subscribe\"") && w.Contains(link));
    }

    [Fact]
    public void MissingOrUnrecognisedDateIsKeptWithAWarning()
    {
        var result = ItemNormalizer.Normalize(Source, [Raw("No date", "/a", date: null), Raw("Odd date", "/b", date: "Coming soon")], FetchedAt);

        Assert.Equal(["No date", "Odd date"], result.Items.Select(i => i.Title));
        Assert.All(result.Items, i => Assert.Null(i.Published));
        Assert.Contains("Item \"No date\" has no date.", result.Warnings);
        Assert.Contains("Item \"Odd date\": date \"Coming soon\" is not recognised.", result.Warnings);
    }

    [Fact]
    public void EachItemsNoteHoldsItsRawStringsAndOnlyTheWarningsAboutIt()
    {
        RawItem[] raw = [Raw("Dated", "/a"), Raw("Odd date", "/b", date: "Coming soon"), Raw("", "/c"), Raw("Grouped", "/d", date: null) with { Group = "October 2021" }];

        // Only on request: ingestion normalizes every page of every run and shows no notes.
        Assert.Empty(ItemNormalizer.Normalize(Source, raw, FetchedAt).Notes);
        var result = ItemNormalizer.Normalize(Source, raw, FetchedAt, withNotes: true);

        Assert.Equal(result.Items, result.Notes.Select(n => n.Item));
        Assert.Equal([raw[0], raw[1], raw[3]], result.Notes.Select(n => n.Raw));
        Assert.Equal([true, false, false], result.Notes.Select(n => n.DateRecognised));
        Assert.Empty(result.Notes[0].Warnings);
        Assert.Equal(["Item \"Odd date\": date \"Coming soon\" is not recognised."], result.Notes[1].Warnings);
        Assert.Empty(result.Notes[2].Warnings);
        // The dropped item has no note; its warning is the listing's.
        Assert.Contains(result.Warnings, w => w.StartsWith("Dropped item 3", StringComparison.Ordinal));
    }

    [Fact]
    public void GroupGivesTheDateWhenTheItemHasNone()
    {
        var raw = Raw("Grouped", "/a", date: null) with { Group = "October 2021" };

        var result = ItemNormalizer.Normalize(Source, [raw], FetchedAt);

        Assert.Equal(new DateTimeOffset(2021, 10, 1, 0, 0, 0, TimeSpan.FromHours(2)), Assert.Single(result.Items).Published);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("Read more")]
    [InlineData("Read more »")]
    [InlineData("Next")]
    [InlineData("More")]
    [InlineData("»")]
    [InlineData("Page 2")]
    [InlineData("Home")]
    [InlineData("Lire la suite")]
    [InlineData("Leer más")]
    public void NavigationLikeTitleIsKeptWithAWarning(string title)
    {
        var result = ItemNormalizer.Normalize(Source, [Raw(title, "/a")], FetchedAt);

        Assert.Single(result.Items);
        Assert.Contains(result.Warnings, w => w.Contains("looks like navigation"));
    }

    [Fact]
    public void OrdinaryTitleIsNotTakenForNavigation()
    {
        var result = ItemNormalizer.Normalize(Source, [Raw("More cooperatives join the alliance", "/a")], FetchedAt);

        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void DatesUseTheZoneAndCulturesTheLoaderLookedUp()
    {
        // What the loader resolved is what counts; the definition's names are not read again.
        var source = Source with
        {
            Cultures = [CultureInfo.GetCultureInfo("fr-FR")],
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
        };

        var result = ItemNormalizer.Normalize(source, [Raw("A", "/a", date: "7 octobre 2021")], FetchedAt);

        Assert.Equal(new DateTimeOffset(2021, 10, 7, 0, 0, 0, TimeSpan.FromHours(13)), Assert.Single(result.Items).Published);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void AnUnknownTimeZoneStopsTheSourceAtLoadSoNormalizationNeverMeetsIt()
    {
        var loaded = SourceCatalogLoader.Parse("""
            { "Sections": [ { "Slug": "news", "Title": "News" } ],
              "Sources": [ { "Id": "s", "Section": "news", "Url": "https://www.ilo.org/", "Selectors": { "Item": "li", "Title": "a" }, "TimeZone": "Mars/Olympus_Mons" } ] }
            """, Path.Combine(Path.GetTempPath(), "sources.json"));

        Assert.False(loaded.IsValid);
        Assert.Contains("source 's': TimeZone 'Mars/Olympus_Mons' is not a known IANA time zone", loaded.Problems);
    }

    [Fact]
    public void ASourceThatNamesNoCultureReadsDatesAsEnGb()
    {
        var source = LoadedSource.From("""{ "Id": "s", "Section": "news", "Url": "https://www.ilo.org/", "Selectors": { "Item": "li", "Title": "a" } }""");
        var none = LoadedSource.From("""{ "Id": "s", "Section": "news", "Url": "https://www.ilo.org/", "Selectors": { "Item": "li", "Title": "a" }, "Cultures": [] }""");

        Assert.Equal(["en-GB"], source.Cultures.Select(c => c.Name));
        Assert.Equal(["en-GB"], none.Cultures.Select(c => c.Name));
        Assert.Equal(new DateTimeOffset(2021, 10, 7, 0, 0, 0, TimeSpan.Zero), ItemNormalizer.Normalize(none, [Raw("A", "/a", date: "07/10/2021")], FetchedAt).Items.Single().Published);
    }

    [Fact]
    public void ALinkWithAHostIdnaRefusesKeepsTheItemWithAWarning()
    {
        var result = ItemNormalizer.Normalize(Source, [Raw("Coopératives", link: "https://www.coop\uFFFDratives.fr/news")], FetchedAt);

        var item = Assert.Single(result.Items);
        Assert.Null(item.Link);
        Assert.StartsWith("source:ilo-coop-news:", item.IdentityKey, StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.Contains("has no usable link", StringComparison.Ordinal));
    }

    [Fact]
    public void SameInputGivesTheSameItems()
    {
        RawItem[] raw = [Raw("A", "/a", summary: "<p>x</p>"), Raw("B"), Raw("C", "/c", date: "3 hours ago")];

        var first = ItemNormalizer.Normalize(Source, raw, FetchedAt);
        var second = ItemNormalizer.Normalize(Source, raw, FetchedAt);

        Assert.Equal(3, first.Items.Count);
        Assert.Equal(first.Items, second.Items);
        Assert.Equal(first.Warnings, second.Warnings);
    }

    [Fact]
    public void ALongTitleAndSummaryAreCutToTheLimitsWithAWarning()
    {
        var limits = new NormalizationLimits { MaxTitleChars = 20, MaxSummaryChars = 30 };
        var raw = Raw("Cooperatives grow across Europe and beyond", "/a", summary: "<p>A summary far longer than thirty characters.</p>");

        var result = ItemNormalizer.Normalize(Source, [raw], FetchedAt, limits);

        var item = Assert.Single(result.Items);
        Assert.Equal("Cooperatives grow…", item.Title);
        Assert.Equal("<p>A summary far longer…</p>", item.SummaryHtml);
        Assert.Equal("A summary far longer…", item.Summary);
        Assert.Contains(result.Warnings, w => w.Contains("title cut to 20 characters (it had 42)", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("summary cut to 30 characters of HTML (it had 51)", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutLimitsTheDefaultsApply()
    {
        var result = ItemNormalizer.Normalize(Source, [Raw(new string('x', 600), "/a")], FetchedAt);

        Assert.Equal(NormalizationLimits.DefaultMaxTitleChars, Assert.Single(result.Items).Title.Length);
    }
}
