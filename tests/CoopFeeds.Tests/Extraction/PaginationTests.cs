using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Ingestion;

namespace CoopFeeds.Tests.Extraction;

/// <summary>
/// Three saved pages linked by rel=next: page1 (a b c) → page2 (c d e, c overlapping) → page3 (f) → back to page1 (a loop).
/// </summary>
public sealed class PaginationTests
{
    private static ConfiguredSource Source(int maxPages)
    {
        var json = $$"""
            {
              "Sections": [ { "Slug": "archive", "Title": "Archive" } ],
              "Sources": [ {
                "Id": "paged", "Section": "archive", "Url": "page1.html", "MaxPages": {{maxPages}},
                "Selectors": { "Item": "li.result", "Title": "a", "Date": ".date", "NextPage": "a[rel=next]@href" }
              } ]
            }
            """;
        var loaded = SourceCatalogLoader.Parse(json, RepoPaths.Fixture("Paged", "sources.json"));
        Assert.Empty(loaded.Problems);
        return loaded.Catalog!.Sources[0];
    }

    private static Task<ListingRead> ReadAsync(int maxPages, IReadOnlySet<string>? known = null) =>
        SampleExtractionTests.ReadAsync(Source(maxPages), known);

    private static IEnumerable<string> Titles(ListingRead read) => read.Items.Select(i => i.Title);

    [Fact]
    public async Task FirstRunBackFillsEveryPageInOrderWithoutTheOverlapAndStopsAtTheLoop()
    {
        var read = await ReadAsync(maxPages: 10);

        Assert.Equal(["Item a", "Item b", "Item c", "Item d", "Item e", "Item f"], Titles(read));
        Assert.Equal(3, read.Pages.Count);
        Assert.Contains(read.Warnings, w => w.Contains("already read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FirstRunStopsAtMaxPages()
    {
        var read = await ReadAsync(maxPages: 2);

        Assert.Equal(["Item a", "Item b", "Item c", "Item d", "Item e"], Titles(read));
        Assert.Equal(2, read.Pages.Count);
    }

    [Fact]
    public async Task LaterRunsStopAtTheFirstPageWhoseItemsAreAllKnown()
    {
        var first = await ReadAsync(maxPages: 10);
        var known = first.Items.Select(i => i.IdentityKey).ToHashSet();

        var later = await ReadAsync(maxPages: 10, known);

        Assert.Single(later.Pages);
        Assert.Equal(["Item a", "Item b", "Item c"], Titles(later));
    }

    [Fact]
    public async Task LaterRunsKeepGoingWhileAPageHasNewItems()
    {
        var first = await ReadAsync(maxPages: 10);
        var known = first.Items.Where(i => i.Title != "Item a").Select(i => i.IdentityKey).ToHashSet();

        var later = await ReadAsync(maxPages: 10, known);

        Assert.Equal(2, later.Pages.Count); // page 1 had "a"; page 2 held nothing new
        Assert.Equal(["Item a", "Item b", "Item c", "Item d", "Item e"], Titles(later));
    }

    [Fact]
    public async Task SavedPagesWithABaseUrlFollowTheirNeighbouringFilesAndResolveLinksAgainstThePublicAddresses()
    {
        var folder = Directory.CreateTempSubdirectory("coopfeeds-paged-").FullName;
        File.WriteAllText(Path.Combine(folder, "page1.html"),
            """<ul><li class="result"><a href="items/a">Item a</a></li></ul><a rel="next" href="page2.html?p=2#top">Older</a>""");
        File.WriteAllText(Path.Combine(folder, "page2.html"),
            """<ul><li class="result"><a href="items/b">Item b</a></li></ul><a rel="next" href="https://example.org/list/page3.html">Older</a>""");
        var json = """
            {
              "Sections": [ { "Slug": "archive", "Title": "Archive" } ],
              "Sources": [ {
                "Id": "paged", "Section": "archive", "Url": "page1.html", "BaseUrl": "https://example.org/list/page1.html", "MaxPages": 5,
                "Selectors": { "Item": "li.result", "Title": "a", "NextPage": "a[rel=next]@href" }
              } ]
            }
            """;
        var loaded = SourceCatalogLoader.Parse(json, Path.Combine(folder, "sources.json"));
        Assert.Empty(loaded.Problems);

        var read = await SampleExtractionTests.ReadAsync(loaded.Catalog!.Sources[0]);

        Assert.Equal(["https://example.org/list/items/a", "https://example.org/list/items/b"], read.Items.Select(i => i.Link!.AbsoluteUri));
        Assert.Equal(new Uri(Path.Combine(folder, "page2.html")), read.Pages[1].Url);
        Assert.Contains(read.Warnings, w => w.Contains("'https://example.org/list/page3.html' was not followed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("../outside.html")]
    [InlineData("/outside.html")]
    public async Task ASavedPageNeverFollowsANextLinkOutOfItsFolder(string next)
    {
        var root = Directory.CreateTempSubdirectory("coopfeeds-paged-").FullName;
        var folder = Directory.CreateDirectory(Path.Combine(root, "site")).FullName;
        File.WriteAllText(Path.Combine(root, "outside.html"), """<ul><li class="result"><a href="https://example.org/secret">Outside</a></li></ul>""");
        File.WriteAllText(Path.Combine(folder, "page1.html"),
            $"""<ul><li class="result"><a href="https://example.org/a">Item a</a></li></ul><a rel="next" href="{next}">Older</a>""");
        var json = """
            {
              "Sections": [ { "Slug": "archive", "Title": "Archive" } ],
              "Sources": [ { "Id": "paged", "Section": "archive", "Url": "page1.html", "MaxPages": 5,
                "Selectors": { "Item": "li.result", "Title": "a", "NextPage": "a[rel=next]@href" } } ]
            }
            """;
        var loaded = SourceCatalogLoader.Parse(json, Path.Combine(folder, "sources.json"));

        var read = await SampleExtractionTests.ReadAsync(loaded.Catalog!.Sources[0]);

        Assert.Equal(["Item a"], Titles(read));
        Assert.Contains(read.Warnings, w => w.Contains($"NextPage '{next}' was not followed", StringComparison.Ordinal));
    }
}
