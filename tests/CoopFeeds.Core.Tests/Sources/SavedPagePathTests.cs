using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Sources;

/// <summary>Where a saved page really is: every link on its path resolved, as the system would open it.</summary>
public sealed class SavedPagePathTests : IDisposable
{
    private readonly string _root = SavedPagePath.Resolve(Directory.CreateTempSubdirectory("coopfeeds-paths-").FullName);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string At(params string[] parts) => Path.Combine([_root, .. parts]);

    [Fact]
    public void APathWithoutLinksIsItself()
    {
        Directory.CreateDirectory(At("site", "pages"));
        File.WriteAllText(At("site", "pages", "news.html"), "<p>");

        Assert.Null(SavedPagePath.Outside(At("site", "pages", "news.html"), At("site"), out var resolved));
        Assert.Equal(At("site", "pages", "news.html"), resolved);
    }

    [Fact]
    public void ARelativeLinkInAFolderOnThePathIsFollowedFromWhereTheLinkIs()
    {
        Directory.CreateDirectory(At("site"));
        Directory.CreateDirectory(At("elsewhere", "deep"));
        File.WriteAllText(At("elsewhere", "page.html"), "<p>");
        // site/pages → ../elsewhere/deep, and pages/../page.html is then elsewhere/page.html, not site/page.html.
        Directory.CreateSymbolicLink(At("site", "pages"), Path.Combine("..", "elsewhere", "deep"));
        File.CreateSymbolicLink(At("elsewhere", "deep", "news.html"), Path.Combine("..", "page.html"));

        var outside = SavedPagePath.Outside(At("site", "pages", "news.html"), At("site"), out var resolved);

        Assert.Equal(At("elsewhere", "page.html"), resolved);
        Assert.Equal($"'{At("site", "pages", "news.html")}' (it leads to '{resolved}') is outside the saved-pages folder '{At("site")}'", outside);
    }

    [Fact]
    public void AFolderWhoseNameStartsLikeTheRootIsNotInsideIt()
    {
        Directory.CreateDirectory(At("site-copy"));
        File.WriteAllText(At("site-copy", "page.html"), "<p>");

        Assert.NotNull(SavedPagePath.Outside(At("site-copy", "page.html"), At("site"), out _));
    }

    [Fact]
    public void ALinkLoopIsAnIOExceptionNotAHang()
    {
        File.CreateSymbolicLink(At("a.html"), At("b.html"));
        File.CreateSymbolicLink(At("b.html"), At("a.html"));

        Assert.Throws<IOException>(() => SavedPagePath.Resolve(At("a.html")));
    }
}
