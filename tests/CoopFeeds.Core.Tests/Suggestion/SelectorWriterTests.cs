using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>Selectors a person would write: the shortest that selects exactly the items, from classes that name content.</summary>
public sealed class SelectorWriterTests
{
    [Theory]
    [InlineData("listing-item__title")]
    [InlineData("entry-date")]
    [InlineData("views-row")]
    [InlineData("card")]
    [InlineData("h-entry")]
    [InlineData("dt-published")]
    public void ClassesThatNameContentAreStable(string name) => Assert.True(ClassNames.IsStable(name));

    [Theory]
    [InlineData("mt-2")]
    [InlineData("col-md-6")]
    [InlineData("text-muted")]
    [InlineData("d-flex")]
    [InlineData("post-412")]
    [InlineData("active")]
    [InlineData("odd")]
    [InlineData("css-1x2y3z")]
    [InlineData("md:flex")]
    [InlineData("is-active")]
    [InlineData("has-post-thumbnail")]
    [InlineData("w-1/3")]
    public void ClassesThatDescribeLooksStateOrANumberAreNot(string name) => Assert.False(ClassNames.IsStable(name));

    [Fact]
    public async Task ItemsAreNamedByTheirTagAndSharedClass()
    {
        var document = await Suggest.ParseAsync("""
            <ul><li class="item mt-2 odd"><a href="/1">One</a></li><li class="item mt-2 even"><a href="/2">Two</a></li><li class="item mt-2 odd"><a href="/3">Three</a></li></ul>
            """);

        Assert.Equal("li.item", SelectorWriter.ForItems(document, [.. document.QuerySelectorAll("li")]));
    }

    [Fact]
    public async Task ItemsLikeOthersElsewhereAreNamedByTheirContainer()
    {
        var document = await Suggest.ParseAsync("""
            <div class="view-content"><ul><li><a href="/1">One</a></li><li><a href="/2">Two</a></li><li><a href="/3">Three</a></li></ul></div>
            <div class="other"><ul><li><a href="/4">Four</a></li></ul></div>
            """);
        var members = document.QuerySelectorAll(".view-content li").ToList();

        var selector = SelectorWriter.ForItems(document, members);

        Assert.NotNull(selector);
        Assert.Equal(members, document.QuerySelectorAll(selector!));
        Assert.StartsWith(".view-content ", selector, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookAlikeSiblingsAreExcludedByTheirClassWhenTheItemsHaveNone()
    {
        var document = await Suggest.ParseAsync("""
            <ul class="events"><li class="month">March 2022</li><li><a href="/1">One</a></li><li><a href="/2">Two</a></li>
            <li class="month">April 2022</li><li><a href="/3">Three</a></li></ul>
            """);
        var members = document.QuerySelectorAll("li").Where(l => !l.ClassList.Contains("month")).ToList();

        var selector = SelectorWriter.ForItems(document, members);

        Assert.EndsWith("li:not(.month)", selector, StringComparison.Ordinal);
        Assert.Equal(members, document.QuerySelectorAll(selector!));
    }

    [Fact]
    public async Task IdsWithDigitsAndPositionsAreNeverUsed()
    {
        var document = await Suggest.ParseAsync("""
            <div class="posts"><div id="post-1"><h2><a href="/1">One</a></h2></div><div id="post-2"><h2><a href="/2">Two</a></h2></div><div id="post-3"><h2><a href="/3">Three</a></h2></div></div>
            <div id="footer-7"><div id="links-2"><a href="/x">X</a></div></div>
            """);
        var members = document.QuerySelectorAll("div[id^=post]").ToList();

        var selector = SelectorWriter.ForItems(document, members);

        Assert.NotNull(selector);
        Assert.DoesNotContain("#", selector, StringComparison.Ordinal);
        Assert.DoesNotContain("nth", selector, StringComparison.Ordinal);
        Assert.Equal(members, document.QuerySelectorAll(selector!));
    }

    [Fact]
    public async Task AFieldSelectorIsNamedByItsOwnClassRatherThanTheFirstOfSeveral()
    {
        var result = await Suggest.PageAsync(Suggest.WithChrome("""
            <table><tbody>
            <tr><td class="cell cell-title"><a href="/r/1">The first report on housing</a></td><td class="cell cell-type">Report</td><td class="cell cell-date">7 March 2022</td></tr>
            <tr><td class="cell cell-title"><a href="/r/2">The second report on energy</a></td><td class="cell cell-type">Guide</td><td class="cell cell-date">1 March 2022</td></tr>
            <tr><td class="cell cell-title"><a href="/r/3">The third report on finance</a></td><td class="cell cell-type">Report</td><td class="cell cell-date">21 February 2022</td></tr>
            </tbody></table>
            """));

        var selectors = result.Candidates[0].Source.Selectors;
        Assert.Equal(".cell-date", selectors.Date);
        Assert.Equal(".cell-type", selectors.Category);
        Assert.StartsWith(".cell-title", selectors.Title, StringComparison.Ordinal);
    }
}
