using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Sources;

public sealed class UrlRedactorTests
{
    [Theory]
    [InlineData("https://reader:s3cret@www.example.coop/news/", "https://***@www.example.coop/news/")]
    [InlineData("https://token-only@www.example.coop/", "https://***@www.example.coop/")]
    [InlineData("https://www.example.coop/news?token=abc&page=2", "https://www.example.coop/news?token=***&page=2")]
    [InlineData("https://www.example.coop/news?page=2&API_KEY=abc", "https://www.example.coop/news?page=2&API_KEY=***")]
    [InlineData("https://www.example.coop/feed?X-Amz-Signature=f00&X-Amz-Date=1", "https://www.example.coop/feed?X-Amz-Signature=***&X-Amz-Date=1")]
    [InlineData("https://www.example.coop/?sessionid=1&client_secret=2&apiKey=3&pwd=4", "https://www.example.coop/?sessionid=***&client_secret=***&apiKey=***&pwd=***")]
    [InlineData("https://www.example.coop/#access_token=abc", "https://www.example.coop/#access_token=***")]
    [InlineData("https://www.example.coop/search?keyword=coop&monkey=1", "https://www.example.coop/search?keyword=coop&monkey=1")]
    [InlineData("https://www.example.coop/news/", "https://www.example.coop/news/")]
    public void RedactsUserInfoAndSecretParameters(string url, string expected) =>
        Assert.Equal(expected, UrlRedactor.Redact(new Uri(url)));

    [Fact]
    public void RedactsEveryUrlInFreeText()
    {
        const string detail = "HTTP 404 Not Found from http://reader:s3cret@127.0.0.1:8080/news?token=abc (redirect to 'https://x.example/?key=k2') "
            + "robots.txt disallows /private?password=hunter2 (Disallow: /private)";

        var redacted = UrlRedactor.RedactText(detail);

        Assert.Equal("HTTP 404 Not Found from http://***@127.0.0.1:8080/news?token=*** (redirect to 'https://x.example/?key=***') "
            + "robots.txt disallows /private?password=*** (Disallow: /private)", redacted);
    }

    [Fact]
    public void TextWithoutSecretsIsReturnedAsItIs()
    {
        const string text = "connection to www.example.coop:443 failed: ConnectionRefused; see https://www.example.coop/?page=2";

        Assert.Equal(text, UrlRedactor.RedactText(text));
    }

    [Theory]
    [InlineData("https://reader:s3cret@www.example.coop:8443/news/?token=abc&page=2#top", "https://www.example.coop:8443/news/?page=2#top")]
    [InlineData("https://www.example.coop/news/?page=2&apikey=k", "https://www.example.coop/news/?page=2")]
    [InlineData("https://reader@www.example.coop/?token=a", "https://www.example.coop/")]
    [InlineData("https://www.example.coop/news/?page=2", "https://www.example.coop/news/?page=2")]
    public void WithoutCredentialsKeepsEverythingElse(string url, string expected) =>
        Assert.Equal(expected, UrlRedactor.WithoutCredentials(new Uri(url)).AbsoluteUri);

    [Fact]
    public void TheLoadersProblemsNeverShowASecret()
    {
        const string json = """
            { "Sections": [ { "Slug": "news", "Title": "News" } ], "Sources": [
              { "Id": "a", "Section": "news", "Url": "ftp://reader:s3cret@files.example.coop/news?token=t0k", "Selectors": { "Item": "li", "Title": "a" } },
              { "Id": "b", "Section": "news", "Url": "https://www.example.coop/", "BaseUrl": "ftp://reader:s3cret@x.example/?apikey=k3y", "Selectors": { "Item": "li", "Title": "a" } } ] }
            """;

        var loaded = SourceCatalogLoader.Parse(json, Path.Combine(Path.GetTempPath(), "sources.json"));

        Assert.Equal(2, loaded.Problems.Count);
        Assert.All(loaded.Problems, p => Assert.DoesNotContain("s3cret", p, StringComparison.Ordinal));
        Assert.DoesNotContain(loaded.Problems, p => p.Contains("t0k", StringComparison.Ordinal) || p.Contains("k3y", StringComparison.Ordinal));
        Assert.Contains(loaded.Problems, p => p.Contains("ftp://***@files.example.coop/news?token=***", StringComparison.Ordinal));
    }
}
