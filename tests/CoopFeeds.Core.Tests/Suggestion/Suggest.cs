using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>Runs the suggestion engine on small pages written in the tests, parsed as the verb parses what it fetched.</summary>
internal static class Suggest
{
    public static readonly DateTimeOffset FetchedAt = new(2022, 3, 15, 10, 0, 0, TimeSpan.Zero);

    public static readonly Uri Address = new("https://coop.example.org/news/");

    public static async Task<IDocument> ParseAsync(string html, Uri? address = null) =>
        await ListingDocument.ParseAsync(html, address ?? Address, CancellationToken.None);

    public static async Task<SuggestionResult> PageAsync(string html, Uri? address = null, SuggestionPage? second = null, int top = 3)
    {
        var document = await ParseAsync(html, address);
        return SelectorSuggester.Suggest(new SuggestionInput
        {
            Page = new SuggestionPage(address ?? Address, document),
            FetchedAt = FetchedAt,
            SecondPage = second,
            Top = top,
        });
    }

    /// <summary>A page with the usual chrome around <paramref name="main"/>: a menu, a sidebar list of links, a footer of links.</summary>
    public static string WithChrome(string main, string lang = "en") => $$"""
        <!DOCTYPE html>
        <html lang="{{lang}}"><head><meta charset="utf-8"><title>Cooperative news</title></head>
        <body>
        <header><nav><ul>
          <li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/about/">About us</a></li><li><a href="/join/">Join</a></li>
        </ul></nav></header>
        <main>{{main}}</main>
        <aside><h2>Popular</h2><ul>
          <li><a href="/popular/1">A popular story about members</a></li><li><a href="/popular/2">Another popular story on housing</a></li><li><a href="/popular/3">A third popular story on energy</a></li>
        </ul></aside>
        <footer><ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li><li><a href="/contact">Contact</a></li><li><a href="/jobs">Jobs</a></li></ul></footer>
        </body></html>
        """;

    /// <summary>A list of <paramref name="count"/> articles with a heading link, a date, a summary and a label.</summary>
    public static string Articles(int count, Func<int, string>? date = null, string label = "News") =>
        string.Concat(Enumerable.Range(1, count).Select(i => $"""
            <article class="story">
              <span class="story__label">{(i % 2 == 0 ? "Report" : label)}</span>
              <h2 class="story__title"><a href="/news/story-{i}">Story number {i} about cooperatives</a></h2>
              <p class="story__date">{(date ?? (d => $"{d} March 2022"))(i)}</p>
              <p class="story__summary">The summary of story {i}, long enough to read as one and unlike any title here.</p>
              <a class="story__more" href="/news/story-{i}">Read more</a>
            </article>
            """));
}
