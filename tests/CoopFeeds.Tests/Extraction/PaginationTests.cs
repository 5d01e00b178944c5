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
        SampleExtractionTests.CreateReader().ReadAsync(Source(maxPages), ConditionalValidators.None, known, CancellationToken.None);

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
}
