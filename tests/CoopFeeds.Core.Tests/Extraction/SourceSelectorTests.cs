using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>The selector language of the sources file as a maintainer writes it, and the problems the loader names.</summary>
public sealed class SourceSelectorTests
{
    private static SourceCatalogLoadResult Load(string selectors, string extra = "") => SourceCatalogLoader.Parse($$"""
        {
          "Sections": [{ "Slug": "news", "Title": "News" }],
          "Sources": [{ "Id": "s", "Section": "news", "Url": "https://www.example.coop/news/", "Selectors": {{{selectors}}}{{extra}} }]
        }
        """, Path.Combine(Path.GetTempPath(), "sources.json"));

    [Theory]
    [InlineData("time@datetime", "time", "datetime")]
    [InlineData("@href", null, "href")]
    [InlineData("a[href^=\"mailto:x@y\"]@href", "a[href^=\"mailto:x@y\"]", "href")]
    [InlineData(":scope > h2 a", ":scope > h2 a", null)]
    [InlineData("img@data-src", "img", "data-src")]
    public void ParsesSelectorAndAttribute(string text, string? css, string? attribute)
    {
        var selector = FieldSelector.TryParse(text, out var error);

        Assert.Null(error);
        Assert.NotNull(selector);
        Assert.Equal(css is null, selector!.Css is null);
        Assert.Equal(attribute, selector.Attribute);
    }

    [Fact]
    public void AWholeSelectorSetLoads()
    {
        var loaded = Load("""
            "Item": "article.post", "Title": "h2.entry-title", "Link": "h2 a@href", "Date": "time@datetime", "Summary": ".entry-summary",
            "Category": ".cat-links a", "Group": "h2.month", "NextPage": "a[rel=next]@href"
            """);

        Assert.True(loaded.IsValid, string.Join("; ", loaded.Problems));
        var selectors = loaded.Catalog!.Sources.Single().Selectors;
        Assert.Equal("datetime", selectors.Date!.Attribute);
        Assert.Equal("href", selectors.NextPage!.Attribute);
    }

    [Theory]
    [InlineData("\"Item\": \"article\"", "Selectors.Title is required")]
    [InlineData("\"Item\": \"article@class\", \"Title\": \"h2\"", "Selectors.Item 'article@class' selects elements")]
    [InlineData("\"Item\": \"article\", \"Title\": \"h2[\"", "Selectors.Title 'h2['")]
    [InlineData("\"Item\": \"article\", \"Title\": \"h2@\"", "Selectors.Title 'h2@'")]
    [InlineData("\"Item\": \"article\", \"Title\": \"h2\", \"Headline\": \"h3\"", "Headline")]
    public void ABadSelectorIsNamedWithItsSourceAndText(string selectors, string problem)
    {
        var loaded = Load(selectors);

        Assert.False(loaded.IsValid);
        Assert.Contains(loaded.Problems, p => p.Contains(problem, StringComparison.Ordinal) && p.StartsWith("source 's'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("d MMMM yyyy", true)]
    [InlineData("dd/MM/yy HH:mm", true)]
    [InlineData("d 'de' MMMM 'de' yyyy", true)]
    [InlineData("d 'de MMMM", false)]
    [InlineData("%", false)]
    public void DateFormatsThatDotNetRefusesAreNamedAtLoad(string format, bool valid)
    {
        var loaded = Load("\"Item\": \"article\", \"Title\": \"h2\"", $", \"DateFormats\": [\"{format}\"]");

        Assert.Equal(valid, loaded.IsValid);
        if (!valid) Assert.Contains(loaded.Problems, p => p.Contains($"DateFormats has '{format}'", StringComparison.Ordinal));
    }
}
