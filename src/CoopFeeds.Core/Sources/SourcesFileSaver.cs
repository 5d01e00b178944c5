using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Sources;

/// <summary>What <see cref="SourcesFileSaver.SaveAsync"/> did with one source.</summary>
public abstract record SourceSaveResult
{
    private SourceSaveResult()
    {
    }

    /// <summary>
    /// The file on disk now holds <paramref name="Entry"/> (as written); the previous file is <paramref name="BackupPath"/>.
    /// <paramref name="Catalog"/> is the new file as the loader read it.
    /// </summary>
    public sealed record Saved(JsonObject Entry, bool Replaced, string BackupPath, SourceCatalog Catalog) : SourceSaveResult;

    /// <summary>A source has the id and replacing was not asked; nothing was written.</summary>
    public sealed record Exists(string Id) : SourceSaveResult;

    /// <summary>The file with the entry in it does not validate; nothing was written. Every problem as the loader says it.</summary>
    public sealed record Invalid(IReadOnlyList<string> Problems) : SourceSaveResult;

    /// <summary>The file could not be edited or written safely; nothing was written. <paramref name="EntryJson"/> is the entry to paste by hand.</summary>
    public sealed record Unsafe(string Reason, string EntryJson) : SourceSaveResult;
}

/// <summary>
/// Saves one source into the sources file the service runs on: edits the text (<see cref="SourcesFileEditor"/>), validates
/// the new text as the service does at start (<see cref="SourceCatalogLoader.Parse"/>), and only then replaces the file
/// atomically, keeping the previous one as <c>&lt;file&gt;.&lt;UTC time&gt;.bak</c> (the newest <see cref="BackupsKept"/>).
/// The running service picks the change up through its
/// normal reload. Saves of one file run one at a time, and a file changed by someone else meanwhile is left alone.
/// </summary>
public sealed class SourcesFileSaver
{
    public const string BackupSuffix = ".bak";

    /// <summary>Timestamped backups kept per file; older ones are deleted at a save. A plain <c>&lt;file&gt;.bak</c> is never touched.</summary>
    public const int BackupsKept = 10;

    /// <summary>Sorts as it reads, so the newest backup is last by name.</summary>
    private const string BackupTimeFormat = "yyyyMMdd'T'HHmmss'.'fff'Z'";

    /// <summary>One gate per file for the whole process, so two savers of one file still take turns.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string? _fileRoot;
    private readonly TimeSpan _minInterval;

    /// <param name="fileRoot">Sources:FileRoot, as the service reads the file; null: the sources file's folder.</param>
    /// <param name="minInterval">Ingestion:MinInterval, as the service reads the file.</param>
    public SourcesFileSaver(string? fileRoot, TimeSpan minInterval)
    {
        _fileRoot = fileRoot;
        _minInterval = minInterval;
    }

    public Task<SourceSaveResult> SaveAsync(string sourcesFile, SourceEdit edit, CancellationToken cancellationToken) =>
        SaveAsync(sourcesFile, edit, beforeReplace: null, cancellationToken);

    /// <param name="beforeReplace">Runs after the new file is written beside the old one, before it takes its place: tests
    /// change the file there, or hold a save there while another waits.</param>
    internal async Task<SourceSaveResult> SaveAsync(
        string sourcesFile, SourceEdit edit, Func<CancellationToken, Task>? beforeReplace, CancellationToken cancellationToken)
    {
        string target;
        try
        {
            // The file a link points to is the one to replace: renaming over the link would cut it.
            target = SavedPagePath.Resolve(sourcesFile);
        }
        catch (IOException ex)
        {
            return new SourceSaveResult.Unsafe($"the sources file '{sourcesFile}' cannot be followed to a file: {ex.Message}", SourcesFileEditor.Format(edit));
        }
        var gate = Gates.GetOrAdd(target, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await SaveLockedAsync(Path.GetFullPath(sourcesFile), target, edit, beforeReplace, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <param name="path">The sources file as the service names it: relative pages resolve against its folder.</param>
    /// <param name="target">The file it is once links are followed: the one read and replaced.</param>
    private async Task<SourceSaveResult> SaveLockedAsync(
        string path, string target, SourceEdit edit, Func<CancellationToken, Task>? beforeReplace, CancellationToken cancellationToken)
    {
        byte[] before;
        string text;
        try
        {
            before = await File.ReadAllBytesAsync(target, cancellationToken);
            text = StrictUtf8.GetString(before);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return new SourceSaveResult.Unsafe($"the sources file '{path}' cannot be read as UTF-8 text: {ex.Message}", SourcesFileEditor.Format(edit));
        }

        var edited = SourcesFileEditor.Apply(text, edit);
        switch (edited)
        {
            case SourcesFileEdit.Exists exists:
                return new SourceSaveResult.Exists(exists.Id);
            case SourcesFileEdit.Unsafe unsafeEdit:
                return new SourceSaveResult.Unsafe(unsafeEdit.Reason, unsafeEdit.EntryJson);
        }
        var (newText, entry, replaced) = (SourcesFileEdit.Edited)edited;

        // As SourceCatalogLoader.Load reads the file: File.ReadAllText drops a byte-order mark.
        var loaded = SourceCatalogLoader.Parse(newText.TrimStart('\uFEFF'), path, _fileRoot, _minInterval);
        if (!loaded.IsValid) return new SourceSaveResult.Invalid(loaded.Problems);

        var backup = NewBackupPath(target);
        // In the same folder: File.Replace is then a rename, which readers see whole or not at all.
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            await WriteFlushedAsync(temporary, StrictUtf8.GetBytes(newText), target, cancellationToken);
            if (beforeReplace is not null) await beforeReplace(cancellationToken);

            // Another editor (a maintainer's, a deployment) may have written the file since it was read: theirs wins.
            if (!(await File.ReadAllBytesAsync(target, cancellationToken)).AsSpan().SequenceEqual(before))
            {
                return new SourceSaveResult.Unsafe(
                    $"the sources file '{path}' changed while the source was being saved; nothing was written, try again",
                    SourcesFileEditor.Format(edit));
            }
            File.Replace(temporary, target, backup, ignoreMetadataErrors: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new SourceSaveResult.Unsafe($"the sources file '{path}' cannot be replaced: {ex.Message}", SourcesFileEditor.Format(edit));
        }
        finally
        {
            File.Delete(temporary);
        }
        PruneBackups(target);
        return new SourceSaveResult.Saved(entry, replaced, backup, loaded.Catalog!);
    }

    /// <summary>
    /// <c>&lt;file&gt;.&lt;UTC time&gt;.bak</c>: each save keeps its own, so a second save does not take away the file as
    /// the maintainer left it. Saves of one file take turns, so a name in use can only be a save in the same millisecond.
    /// </summary>
    private static string NewBackupPath(string target)
    {
        var at = DateTime.UtcNow;
        string path;
        while (File.Exists(path = $"{target}.{at.ToString(BackupTimeFormat, CultureInfo.InvariantCulture)}{BackupSuffix}"))
            at = at.AddMilliseconds(1);
        return path;
    }

    /// <summary>Deletes the timestamped backups of <paramref name="target"/> but the newest <see cref="BackupsKept"/>.</summary>
    private static void PruneBackups(string target)
    {
        var name = Path.GetFileName(target);
        var pattern = new Regex($@"^{Regex.Escape(name)}\.\d{{8}}T\d{{6}}\.\d{{3}}Z{Regex.Escape(BackupSuffix)}$", RegexOptions.CultureInvariant);
        try
        {
            var old = Directory.GetFiles(Path.GetDirectoryName(target)!, $"{name}.*{BackupSuffix}")
                .Where(f => pattern.IsMatch(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .SkipLast(BackupsKept);
            foreach (var file in old) File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The save happened; an old backup left behind is deleted at the next one.
        }
    }

    /// <summary>Writes the bytes and flushes them to the disk, with the permissions of <paramref name="like"/>.</summary>
    private static async Task WriteFlushedAsync(string path, byte[] bytes, string like, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 4096, FileOptions.Asynchronous);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, File.GetUnixFileMode(like));
        await stream.WriteAsync(bytes, cancellationToken);
        stream.Flush(flushToDisk: true);
    }
}
