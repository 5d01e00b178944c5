using System.Text;
using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Sources;

/// <summary>A source's fixture: its page and expected items beside the sources file, for <c>check --fixtures</c>.</summary>
public sealed class SourceFixtureTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coopfeeds-fixture-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Item[] Items =
    [
        new()
        {
            Id = "urn:uuid:1", IdentityKey = "example.org/a", SourceId = "news", Title = "Coopératives",
            Link = new Uri("https://example.org/a"), Published = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(1)),
        },
    ];

    [Fact]
    public async Task ThePageAndTheItemsAreWrittenUnderPages()
    {
        var page = Encoding.UTF8.GetBytes("<ul><li>Coopératives</li></ul>");

        var paths = await SourceFixture.WriteAsync(_folder, "news", page, Items, CancellationToken.None);

        Assert.Equal(new SourceFixturePaths(Path.Combine(_folder, "pages", "news.html"), Path.Combine(_folder, "pages", "news.expected.json")), paths);
        Assert.Equal(page, File.ReadAllBytes(paths.Page));
        Assert.Equal(ItemJson.Serialize(Items) + "\n", File.ReadAllText(paths.Expected));
        Assert.Equal("2026-12-01T00:00:00+01:00", JsonNode.Parse(File.ReadAllText(paths.Expected))![0]!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task APageThatAlreadyHoldsTheBytesIsNotRewritten()
    {
        var page = Encoding.UTF8.GetBytes("<ul><li>Coopératives</li></ul>");
        Directory.CreateDirectory(Path.Combine(_folder, "pages"));
        var path = Path.Combine(_folder, "pages", "news.html");
        File.WriteAllBytes(path, page);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, old);

        await SourceFixture.WriteAsync(_folder, "news", page, Items, CancellationToken.None);
        Assert.Equal(old, File.GetLastWriteTimeUtc(path));

        await SourceFixture.WriteAsync(_folder, "news", Encoding.UTF8.GetBytes("<p>new</p>"), Items, CancellationToken.None);
        Assert.Equal("<p>new</p>", File.ReadAllText(path));
    }

    [Fact]
    public async Task AFileIsReplacedWholeByARenameNotRewrittenInPlace()
    {
        var pages = Path.Combine(_folder, "pages");
        Directory.CreateDirectory(pages);
        var path = Path.Combine(pages, "news.expected.json");
        File.WriteAllText(path, "[]\n");
        // A second name for the old file: a rewrite in place would change it too, a rename leaves it holding the old bytes.
        var other = Path.Combine(_folder, "old.json");
        using (var ln = System.Diagnostics.Process.Start("ln", [path, other])) await ln.WaitForExitAsync();

        await SourceFixture.WriteAsync(_folder, "news", Encoding.UTF8.GetBytes("<p>new</p>"), Items, CancellationToken.None);

        Assert.Equal(ItemJson.Serialize(Items) + "\n", File.ReadAllText(path));
        Assert.Equal("[]\n", File.ReadAllText(other));
        Assert.Equal(["news.expected.json", "news.html"], Directory.GetFiles(pages).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("../news")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("")]
    public async Task AnIdThatIsNoFileNameIsRefused(string id)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SourceFixture.WriteAsync(_folder, id, new byte[] { 1 }, Items, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_folder, "pages")));
    }
}
