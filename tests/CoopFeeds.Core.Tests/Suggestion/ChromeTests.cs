namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>The page's own list wins over menus, sidebars, cookie banners and footers, however alike their markup.</summary>
public sealed class ChromeTests
{
    [Fact]
    public async Task TheMainListWinsOverASidebarListOfTheSameMarkup()
    {
        var list = (string prefix, int count) => "<ul class=\"posts\">" + string.Concat(Enumerable.Range(1, count).Select(i =>
            $"""<li class="post"><a href="/{prefix}/{i}">A {prefix} post number {i} on cooperatives</a> <span class="date">{i} March 2022</span></li>""")) + "</ul>";
        var page = $"""
            <html lang="en"><body>
            <div id="content"><h1>News</h1>{list("news", 4)}</div>
            <div class="sidebar"><h2>Recent</h2>{list("recent", 6)}</div>
            </body></html>
            """;

        var top = (await Suggest.PageAsync(page)).Candidates[0];

        Assert.Equal(4, top.ItemCount);
        Assert.All(top.Items, i => Assert.Contains("/news/", i.Link, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MenusCookieBannersAndFootersAreNeverProposed()
    {
        var links = (string path, int count) => string.Concat(Enumerable.Range(1, count).Select(i => $"""<li><a href="/{path}/{i}">The {path} page number {i} of the site</a></li>"""));
        var page = $"""
            <html lang="en"><body>
            <div id="cookie-consent"><ul>{links("cookies", 4)}</ul></div>
            <div class="mega-menu"><ul>{links("sectors", 8)}</ul></div>
            <main><h1>News</h1>{Suggest.Articles(3)}</main>
            <div class="site-footer"><ul>{links("about", 10)}</ul></div>
            </body></html>
            """;

        var result = await Suggest.PageAsync(page);

        Assert.All(result.Candidates, c => Assert.Equal("article.story", c.Source.Selectors.Item));
    }

    [Fact]
    public async Task ABoxOfItemsIsNotAnItem()
    {
        // Month sections of two items each: the section is a box of items, each article an item.
        var section = (string month, int first) => $"""
            <section class="group"><h2 class="group__heading">{month} 2022</h2>
            <article class="entry"><h3><a href="/n/{first}">Entry number {first} about cooperatives</a></h3><p class="when">{first} {month} 2022</p></article>
            <article class="entry"><h3><a href="/n/{first + 1}">Entry number {first + 1} about cooperatives</a></h3><p class="when">{first + 1} {month} 2022</p></article>
            </section>
            """;

        var result = await Suggest.PageAsync(Suggest.WithChrome(section("March", 10) + section("February", 3) + section("January", 20)));

        Assert.Equal("article.entry", result.Candidates[0].Source.Selectors.Item);
        Assert.DoesNotContain(result.Candidates, c => c.Source.Selectors.Item!.Contains("group", StringComparison.Ordinal) && !c.Source.Selectors.Item.Contains("entry", StringComparison.Ordinal));
    }
}
