using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Storage;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// Hostile saved pages: a source of the sources file reads only regular files inside the file's folder (or
/// Sources:FileRoot), links resolved, never more than MaxBodyBytes; each refusal is a named outcome, and nothing is published.
/// </summary>
public sealed class SavedPageTests : IDisposable
{
    /// <summary>A folder beside the sources file's, holding a listing that would publish five new items if it were read.</summary>
    private readonly string _outside = Directory.CreateTempSubdirectory("coopfeeds-outside-").FullName;

    private string OutsidePage => Path.Combine(_outside, "page.html");

    public SavedPageTests() => File.WriteAllText(OutsidePage, FaultSite.Listing(5, first: 100));

    public void Dispose() => Directory.Delete(_outside, recursive: true);

    [Fact]
    public async Task PagesOutsideTheFolderAreProblemsNamingTheirSourceWhenTheFileIsRead()
    {
        await using var file = FaultSources.Write();
        File.CreateSymbolicLink(Path.Combine(file.Folder, "link.html"), OutsidePage);
        Directory.CreateSymbolicLink(Path.Combine(file.Folder, "pages"), _outside);
        file.Rewrite(
            new SourceSpec("parent", Path.GetRelativePath(file.Folder, OutsidePage)),
            new SourceSpec("file-url", new Uri(OutsidePage).AbsoluteUri),
            new SourceSpec("environ", "file:///proc/self/environ"),
            new SourceSpec("zero", "/dev/zero"),
            new SourceSpec("link", "link.html"),
            new SourceSpec("folder-link", "pages/page.html"));

        var loaded = SourceCatalogLoader.Load(file.Path);

        Assert.False(loaded.IsValid);
        foreach (var id in new[] { "parent", "file-url", "environ", "zero", "link", "folder-link" })
            Assert.Contains(loaded.Problems, p => p.StartsWith($"source '{id}': Url '", StringComparison.Ordinal) && p.Contains("is outside the saved-pages folder"));
        Assert.Equal(6, loaded.Problems.Count);
        Assert.True(SourceCatalogLoader.Load(file.Path, fileRoot: "/").IsValid); // Sources:FileRoot widens the folder
    }

    [Fact]
    public async Task APageReplacedByALinkOutOfTheFolderIsRefusedAtReadAndPublishesNothing()
    {
        await using var file = FaultSources.Write(
            new SourceSpec("outside", "outside.html"),
            new SourceSpec("environ", "environ.html"),
            new SourceSpec("zero", "zero.html"),
            new SourceSpec("folder", "pages/page.html"));
        foreach (var page in new[] { "outside.html", "environ.html", "zero.html" }) file.WritePage(page, FaultSite.Listing(2));
        Directory.CreateDirectory(Path.Combine(file.Folder, "pages"));
        file.WritePage("pages/page.html", FaultSite.Listing(2));
        await using var host = await file.StartServiceAsync();
        var published = await host.FeedItemsAsync();
        Assert.Equal(2, published.Count);

        // The sources file is unchanged and still valid: only what its pages are has changed since it was read.
        Replace(Path.Combine(file.Folder, "outside.html"), OutsidePage);
        Replace(Path.Combine(file.Folder, "environ.html"), "/proc/self/environ");
        Replace(Path.Combine(file.Folder, "zero.html"), "/dev/zero");
        Directory.Delete(Path.Combine(file.Folder, "pages"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(file.Folder, "pages"), _outside);

        // /proc/self is itself a link, to the process's own folder.
        foreach (var (id, target) in new[] { ("outside", OutsidePage), ("environ", "/proc/"), ("zero", "/dev/zero"), ("folder", OutsidePage) })
        {
            var report = await host.RunAsync(id);
            Assert.True(report.Outcome.Kind == OutcomeKind.FileRefused, $"{id}: {report.Outcome.Kind} {report.Outcome.Detail}");
            Assert.Contains($"(it leads to '{target}", report.Outcome.Detail);
            Assert.Contains("is outside the saved-pages folder", report.Outcome.Detail);
            var status = await host.StatusAsync(id);
            Assert.Equal("failing", status.GetProperty("state").GetString());
            Assert.Equal("FileRefused", status.GetProperty("lastOutcome").GetString());
        }
        Assert.Equal(published, await host.FeedItemsAsync());
    }

    [Fact]
    public async Task AFolderWidenedByFileRootStillReadsOnlyRegularFilesAndNoMoreThanMaxBodyBytes()
    {
        await using var file = FaultSources.Write(
            new SourceSpec("zero", "/dev/zero"),
            new SourceSpec("environ", "/proc/self/environ"),
            new SourceSpec("huge", "huge.html"),
            new SourceSpec("page", "page.html"));
        file.WritePage("huge.html", FaultSite.Listing(2000)); // past FastSettings' MaxBodyBytes of 64 KiB
        file.WritePage("page.html", FaultSite.Listing(2));

        await using var host = await file.StartServiceAsync("--Sources:FileRoot=/");

        foreach (var id in new[] { "zero", "environ" })
        {
            var status = await host.StatusAsync(id);
            Assert.Equal("Empty", status.GetProperty("lastOutcome").GetString());
            Assert.Contains("has a size of 0 bytes", status.GetProperty("lastError").GetString());
        }
        var huge = await host.StatusAsync("huge");
        Assert.Equal("TooLarge", huge.GetProperty("lastOutcome").GetString());
        Assert.Contains("more than 65536", huge.GetProperty("lastError").GetString());
        Assert.Equal("healthy", (await host.StatusAsync("page")).GetProperty("state").GetString());
        Assert.Equal(2, (await host.FeedItemsAsync()).Count);
    }

    private static void Replace(string path, string target)
    {
        File.Delete(path);
        File.CreateSymbolicLink(path, target);
    }
}
