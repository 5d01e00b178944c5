using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Sources;

/// <summary>A source saved into the sources file on disk: validated as at start, written whole or not at all, the previous file kept.</summary>
public sealed class SourcesFileSaverTests : IDisposable
{
    private readonly string _folder = SavedPagePath.Resolve(Directory.CreateTempSubdirectory("coopfeeds-save-").FullName);
    private readonly SourcesFileSaver _saver = new(fileRoot: null, SourceCatalogLoader.DefaultMinInterval);

    public SourcesFileSaverTests() => File.WriteAllText(FilePath, SourcesFileEditorTests.Commented);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FilePath => Path.Combine(_folder, "sources.json");

    private static SourceEdit Edit(string id, bool replace = false) => SourcesFileEditorTests.Edit(id, replace: replace);

    private string[] Files() => Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task ASavedSourceIsInTheFileWithTheRestAsItWasAndThePreviousFileIsTheBackup()
    {
        var result = await _saver.SaveAsync(FilePath, Edit("third"), CancellationToken.None);

        var saved = Assert.IsType<SourceSaveResult.Saved>(result);
        Assert.False(saved.Replaced);
        Assert.Matches(@"/sources\.json\.\d{8}T\d{6}\.\d{3}Z\.bak$", saved.BackupPath.Replace('\\', '/'));
        Assert.Equal(SourcesFileEditorTests.Commented, File.ReadAllText(saved.BackupPath));
        var edited = Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply(SourcesFileEditorTests.Commented, Edit("third")));
        Assert.Equal(edited.Text, File.ReadAllText(FilePath));
        Assert.True(JsonNode.DeepEquals(edited.Entry, saved.Entry));
        Assert.Equal(["sources.json", Path.GetFileName(saved.BackupPath)], Files());

        var loaded = SourceCatalogLoader.Load(FilePath);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        Assert.Equal(["first", "second", "third"], loaded.Catalog!.Sources.Select(s => s.Id));
        Assert.Equal(["fr-FR", "en-GB"], loaded.Catalog.FindSource("third")!.Definition.Cultures);
        Assert.Equal(["first", "second", "third"], saved.Catalog.Sources.Select(s => s.Id));
    }

    [Fact]
    public async Task AReplacedSourceSaysSo()
    {
        var result = await _saver.SaveAsync(FilePath, Edit("first", replace: true), CancellationToken.None);

        Assert.True(Assert.IsType<SourceSaveResult.Saved>(result).Replaced);
        Assert.Equal("article", SourceCatalogLoader.Load(FilePath).Catalog!.FindSource("first")!.Definition.Selectors.Item);
    }

    [Fact]
    public async Task ARejectedEntryChangesNothingAndNamesEveryProblemAsTheLoaderDoes()
    {
        var edit = SourcesFileEditorTests.Edit("third", section: "events") with
        {
            Entry = new JsonObject
            {
                ["Url"] = "ftp://example.org/x",
                ["Interval"] = "00:00:10",
                ["Selectors"] = new JsonObject { ["Item"] = "li", ["Title"] = "h3[[" },
                ["Cultures"] = new JsonArray("xx-NOPE-123"),
            },
        };

        var result = await _saver.SaveAsync(FilePath, edit, CancellationToken.None);

        var invalid = Assert.IsType<SourceSaveResult.Invalid>(result);
        var expected = SourceCatalogLoader.Parse(
            ((SourcesFileEdit.Edited)SourcesFileEditor.Apply(SourcesFileEditorTests.Commented, edit)).Text, FilePath).Problems;
        Assert.Equal(expected, invalid.Problems);
        Assert.Contains("source 'third': Section 'events' is not defined (known: news)", invalid.Problems);
        Assert.Contains("source 'third': Url must be an http(s) URL or a file path (got 'ftp://example.org/x')", invalid.Problems);
        Assert.Contains("source 'third': Interval must be at least 00:01:00, the setting Ingestion:MinInterval (got '00:00:10')", invalid.Problems);
        Assert.Contains("source 'third': Cultures has an unknown culture name 'xx-NOPE-123'", invalid.Problems);
        Assert.Contains(invalid.Problems, p => p.StartsWith("source 'third': Selectors.Title 'h3[['", StringComparison.Ordinal));
        Assert.Equal(SourcesFileEditorTests.Commented, File.ReadAllText(FilePath));
        Assert.Equal(["sources.json"], Files());
    }

    [Fact]
    public async Task TheCallersMinimumIntervalIsTheOneApplied()
    {
        var strict = new SourcesFileSaver(fileRoot: null, TimeSpan.FromHours(2));

        var result = await strict.SaveAsync(FilePath, Edit("third"), CancellationToken.None);

        Assert.Contains("source 'third': Interval must be at least 02:00:00, the setting Ingestion:MinInterval (got '01:00:00')",
            Assert.IsType<SourceSaveResult.Invalid>(result).Problems);
    }

    [Fact]
    public async Task AnExistingIdChangesNothing()
    {
        var result = await _saver.SaveAsync(FilePath, Edit("second"), CancellationToken.None);

        Assert.Equal(new SourceSaveResult.Exists("second"), result);
        Assert.Equal(SourcesFileEditorTests.Commented, File.ReadAllText(FilePath));
        Assert.Equal(["sources.json"], Files());
    }

    [Fact]
    public async Task AFileItCannotEditSafelyIsLeftAloneAndTheEntryIsGivenToPaste()
    {
        File.WriteAllText(FilePath, """{ "Sections": [{ "Slug": "news", "Title": "News" }], "Feeds": [] }""");

        var result = await _saver.SaveAsync(FilePath, Edit("third"), CancellationToken.None);

        var refused = Assert.IsType<SourceSaveResult.Unsafe>(result);
        Assert.Contains("no top-level \"Sources\" array", refused.Reason);
        Assert.Equal(SourcesFileEditor.Format(Edit("third")), refused.EntryJson);
        Assert.Equal(["sources.json"], Files());
    }

    [Fact]
    public async Task AFileChangedWhileSavingIsLeftAsTheOtherWriterLeftIt()
    {
        const string theirs = """{ "Sections": [{ "Slug": "news", "Title": "Theirs" }], "Sources": [] }""";

        var result = await _saver.SaveAsync(FilePath, Edit("third"), async cancellationToken =>
            await File.WriteAllTextAsync(FilePath, theirs, cancellationToken), CancellationToken.None);

        Assert.Contains("changed while the source was being saved", Assert.IsType<SourceSaveResult.Unsafe>(result).Reason);
        Assert.Equal(theirs, File.ReadAllText(FilePath));
        Assert.Equal(["sources.json"], Files());
    }

    [Fact]
    public async Task ASaveWaitsForTheOneBeforeItAndReadsWhatThatOneWrote()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancellationToken = CancellationToken.None;

        var first = _saver.SaveAsync(FilePath, Edit("third"), async _ =>
        {
            reached.SetResult();
            await held.Task;
        }, cancellationToken);
        await reached.Task;
        // Another saver of the same file: the gate is per file, not per saver.
        var second = new SourcesFileSaver(null, SourceCatalogLoader.DefaultMinInterval).SaveAsync(FilePath, Edit("fourth"), cancellationToken);
        Assert.False(second.IsCompleted);
        held.SetResult();

        Assert.IsType<SourceSaveResult.Saved>(await first);
        Assert.IsType<SourceSaveResult.Saved>(await second);
        Assert.Equal(["first", "second", "third", "fourth"], SourceCatalogLoader.Load(FilePath).Catalog!.Sources.Select(s => s.Id));
    }

    [Fact]
    public async Task ManySavesAtOnceAllLand()
    {
        var ids = Enumerable.Range(1, 8).Select(i => $"source-{i}").ToList();

        var results = await Task.WhenAll(ids.Select(id => Task.Run(() => _saver.SaveAsync(FilePath, Edit(id), CancellationToken.None))));

        Assert.All(results, r => Assert.IsType<SourceSaveResult.Saved>(r));
        Assert.Equal(ids.Order(StringComparer.Ordinal), SourceCatalogLoader.Load(FilePath).Catalog!.Sources.Select(s => s.Id).Skip(2).Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count + 1, Files().Length); // a backup each
    }

    [Fact]
    public async Task EachSaveKeepsItsOwnBackupTheNewestTenAreKeptAndAPlainBakIsLeftAlone()
    {
        File.WriteAllText(FilePath + ".bak", "the maintainer's own");
        var texts = new List<string>();
        var backups = new List<string>();

        for (var i = 1; i <= SourcesFileSaver.BackupsKept + 2; i++)
        {
            texts.Add(File.ReadAllText(FilePath));
            backups.Add(Assert.IsType<SourceSaveResult.Saved>(await _saver.SaveAsync(FilePath, Edit($"source-{i}"), CancellationToken.None)).BackupPath);
        }

        Assert.Equal(backups.Count, backups.Distinct().Count());
        Assert.Equal(["sources.json", .. backups.Skip(2).Select(b => Path.GetFileName(b)!), "sources.json.bak"], Files());
        Assert.All(backups.Skip(2).Zip(texts.Skip(2)), b => Assert.Equal(b.Second, File.ReadAllText(b.First)));
        Assert.Equal("the maintainer's own", File.ReadAllText(FilePath + ".bak"));
    }

    [Fact]
    public async Task ALinkedFileIsSavedWhereTheLinkLeadsAndTheLinkStays()
    {
        var real = Path.Combine(_folder, "real");
        Directory.CreateDirectory(real);
        File.Move(FilePath, Path.Combine(real, "sources.json"));
        File.CreateSymbolicLink(FilePath, Path.Combine("real", "sources.json"));

        var result = await _saver.SaveAsync(FilePath, Edit("third"), CancellationToken.None);

        Assert.Equal(real, Path.GetDirectoryName(Assert.IsType<SourceSaveResult.Saved>(result).BackupPath));
        Assert.StartsWith("sources.json.", Path.GetFileName(((SourceSaveResult.Saved)result).BackupPath));
        Assert.NotNull(new FileInfo(FilePath).LinkTarget);
        Assert.Contains("\"Id\": \"third\"", File.ReadAllText(Path.Combine(real, "sources.json")));
    }

    [Fact]
    public async Task TheFileKeepsItsPermissions()
    {
        if (OperatingSystem.IsWindows()) return; // Unix permissions
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.IsType<SourceSaveResult.Saved>(await _saver.SaveAsync(FilePath, Edit("third"), CancellationToken.None));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
    }
}
