using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>
/// The next page is found by rel=next, by a "next" word in the page's languages, or as the number after the current
/// page's; it is proposed only once the second page bears it out, and then MaxPages says how many pages to read.
/// </summary>
public sealed class NextPageTests
{
    private static string Page(string pager, int first = 1) =>
        Suggest.WithChrome(Suggest.Articles(3).Replace("story-", $"story-{first}-", StringComparison.Ordinal) + $"<nav class=\"pagination\">{pager}</nav>");

    private static async Task<string?> NextPageOf(string pager)
    {
        var result = await Suggest.PageAsync(Page(pager));
        var problem = Assert.Single(result.Problems, p => p.StartsWith("a next page link was found (", StringComparison.Ordinal));
        return problem["a next page link was found (".Length..problem.IndexOf(')', StringComparison.Ordinal)];
    }

    [Fact]
    public async Task RelNextIsTheNextPage() =>
        Assert.Equal("a[rel=next]@href", await NextPageOf("""<a href="?page=1">1</a> <a rel="next" href="?page=2">2</a>"""));

    [Theory]
    [InlineData("Older posts")]
    [InlineData("Page suivante »")]
    [InlineData("Siguiente ›")]
    [InlineData("Nächste Seite")]
    public async Task ANextWordInThePagesLanguageIsTheNextPage(string words)
    {
        var next = await NextPageOf($"""<a class="pg" href="?page=9">Last »</a> <a class="pg go" href="?page=2">{words}</a>""");

        Assert.Equal("a.go@href", next);
    }

    [Fact]
    public async Task TheNumberAfterTheCurrentPageIsNamedByTheCurrentPage()
    {
        var next = await NextPageOf("""
            <ul class="pages"><li class="page-item"><a href="?p=0">«</a></li><li class="page-item active"><span>1</span></li>
            <li class="page-item"><a href="?p=2">2</a></li><li class="page-item"><a href="?p=3">3</a></li></ul>
            """);

        Assert.Equal("li.active + li a@href", next);
    }

    [Fact]
    public async Task LastAndPreviousAreNeverTheNextPage()
    {
        var result = await Suggest.PageAsync(Page("""<a href="?page=0">« Previous</a> <a href="?page=40">Last »</a>"""));

        Assert.DoesNotContain(result.Problems, p => p.Contains("next page", StringComparison.Ordinal));
        Assert.Null(result.NextPageToVerify);
    }

    [Fact]
    public async Task AnUnverifiedNextPageIsLeftOutAndNamedForTheCallerToRead()
    {
        var result = await Suggest.PageAsync(Page("""<a rel="next" href="/news/?page=2">Next</a>"""));

        var top = result.Candidates[0];
        Assert.Null(top.Source.Selectors.NextPage);
        Assert.Null(top.Source.MaxPages);
        Assert.Equal(new Uri("https://coop.example.org/news/?page=2"), result.NextPageToVerify!.Location);
    }

    [Fact]
    public async Task ANextPageBorneOutByTheSecondPageIsProposedWithMaxPages()
    {
        var second = new Uri("https://coop.example.org/news/?page=2");
        var page2 = await Suggest.ParseAsync(Page("""<a href="/news/">1</a> <a rel="next" href="/news/?page=3">Next</a>""", first: 2), second);

        var result = await Suggest.PageAsync(Page("""<a rel="next" href="/news/?page=2">Next</a>"""), second: new SuggestionPage(second, page2));

        var top = result.Candidates[0];
        Assert.Equal("a[rel=next]@href", top.Source.Selectors.NextPage);
        Assert.Equal(3, top.Source.MaxPages); // page 2 names a page 3
        Assert.Equal(6, top.ItemCount);
        Assert.Contains(top.Evidence, e => e.StartsWith("next page verified (a[rel=next]): page 2 gave 3 items, 3 new (2 pages seen)", StringComparison.Ordinal));
        Assert.Null(result.NextPageToVerify);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task ASecondPageWithoutTheItemsDoesNotBearTheNextPageOut()
    {
        var second = new Uri("https://coop.example.org/news/?page=2");
        var empty = await Suggest.ParseAsync("<html><body><main><p>Nothing here.</p></main></body></html>", second);

        var result = await Suggest.PageAsync(Page("""<a rel="next" href="/news/?page=2">Next</a>"""), second: new SuggestionPage(second, empty));

        Assert.Null(result.Candidates[0].Source.Selectors.NextPage);
        Assert.Null(result.Candidates[0].Source.MaxPages);
        Assert.Contains(result.Problems, p => p.Contains("did not verify on page 2: Item 'article.story' found no items there", StringComparison.Ordinal));
    }
}
