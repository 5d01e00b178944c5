namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>Each field is chosen across all items of a list, as a careful maintainer would choose it.</summary>
public sealed class FieldChoiceTests
{
    [Fact]
    public async Task AnArticleListGetsEveryFieldItShows()
    {
        var result = await Suggest.PageAsync(Suggest.WithChrome(Suggest.Articles(6)));

        var top = result.Candidates[0];
        var selectors = top.Source.Selectors;
        Assert.Equal("article.story", selectors.Item);
        Assert.Equal(".story__title", selectors.Title);
        Assert.Null(selectors.Link); // the title's link, the default
        Assert.Equal(".story__date", selectors.Date);
        Assert.Equal(".story__summary", selectors.Summary);
        Assert.Equal(".story__label", selectors.Category);
        Assert.Equal(["en-GB"], top.Source.Cultures);
        Assert.Equal(["d MMMM yyyy"], top.Source.DateFormats);
        Assert.Equal(6, top.ItemCount);
        Assert.Equal(5, top.Items.Count);
        Assert.Equal("2022-03-01T00:00:00+00:00", top.Items[0].Date);
        Assert.Contains("6/6 dated (d MMMM yyyy, en-GB)", top.Evidence);
    }

    [Fact]
    public async Task TheLinkIsProposedWhenTheItemsFirstLinkIsNotItsOwn()
    {
        // The title has no link; the first link of each card is its category's page.
        var cards = string.Concat(Enumerable.Range(1, 4).Select(i => $"""
            <div class="card">
              <a class="chip" href="/category/{(i % 2 == 0 ? "energy" : "housing")}">{(i % 2 == 0 ? "Energy" : "Housing")}</a>
              <h3 class="card__title">A story about cooperative number {i}</h3>
              <a class="card__link" href="/stories/{i}">Read the story</a>
            </div>
            """));

        var result = await Suggest.PageAsync(Suggest.WithChrome(cards));

        var top = result.Candidates[0];
        Assert.Equal("a.card__link@href", top.Source.Selectors.Link);
        Assert.Equal("https://coop.example.org/stories/1", top.Items[0].Link);
        Assert.Equal("Housing", top.Items[0].Category);
    }

    [Fact]
    public async Task APhotoCreditIsNeverACategoryNorAnAuthor()
    {
        var items = string.Concat(Enumerable.Range(1, 4).Select(i => $"""
            <li class="entry">
              <figure><img src="/img/{i}.jpg" alt=""><figcaption class="entry__tag">© SEWA {2020 + i % 2}</figcaption></figure>
              <h3><a href="/news/{i}">News story number {i} on cooperatives</a></h3>
              <span class="entry__byline">By {(i % 2 == 0 ? "Jane Okafor" : "Sam Patel")}</span>
            </li>
            """));

        var result = await Suggest.PageAsync(Suggest.WithChrome($"<ul>{items}</ul>"));

        Assert.Null(result.Candidates[0].Source.Selectors.Category);
    }

    [Fact]
    public async Task MonthHeadingsGroupItemsAndCompleteTheirDates()
    {
        var page = Suggest.WithChrome("""
            <h2 class="month">March 2022</h2>
            <ul><li class="row"><span class="day">Thu 03</span> <a href="/e/1">Webinar on worker buyouts</a></li>
                <li class="row"><span class="day">12</span> <a href="/e/2">Regional assembly in Ghent</a></li></ul>
            <h2 class="month">April 2022</h2>
            <ul><li class="row"><span class="day">Fri 8</span> <a href="/e/3">Spring school on cooperative law</a></li>
                <li class="row"><span class="day">28</span> <a href="/e/4">Cooperative Days festival</a></li></ul>
            """);

        var top = (await Suggest.PageAsync(page)).Candidates[0];

        Assert.Equal("h2.month", top.Source.Selectors.Group);
        Assert.Equal(".day", top.Source.Selectors.Date);
        Assert.Equal(["2022-03-03", "2022-03-12", "2022-04-08", "2022-04-28"], top.Items.Select(i => i.Date![..10]));
        Assert.Contains(top.Evidence, e => e.StartsWith("grouped by 2 date headings (h2.month)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RelativeAndWrittenSpanishDatesAreReadInSpanish()
    {
        var items = string.Concat(new[] { "hace 5 horas", "ayer", "hace 3 días", "Publicado el 07 de octubre de 2021" }.Select((d, i) => $"""
            <li class="noticia"><h3><a href="/noticias/{i}">Noticia número {i} sobre cooperativas</a></h3><div class="fecha">{d}</div></li>
            """));

        var top = (await Suggest.PageAsync(Suggest.WithChrome($"<ul>{items}</ul>", lang: "es"))).Candidates[0];

        Assert.Equal(".fecha", top.Source.Selectors.Date);
        Assert.Equal(["es-ES"], top.Source.Cultures);
        Assert.Equal(["2022-03-15", "2022-03-14", "2022-03-12", "2021-10-07"], top.Items.Select(i => i.Date![..10]));
    }

    [Fact]
    public async Task UndatedItemsAreSaidToBeDatedWhenFirstSeenNeverNow()
    {
        var items = string.Concat(Enumerable.Range(1, 3).Select(i => $"""<li class="doc"><a href="/docs/{i}">Guide number {i} for new cooperatives</a></li>"""));

        var top = (await Suggest.PageAsync(Suggest.WithChrome($"<ul class=\"docs\">{items}</ul>"))).Candidates[0];

        Assert.Null(top.Source.Selectors.Date);
        Assert.Null(top.Source.Cultures);
        Assert.All(top.Items, i => Assert.Null(i.Date));
        Assert.Contains("no dates: items will be dated when first seen", top.Evidence);
    }
}
