using CoopFeeds.Core.Sources;

namespace CoopFeeds.Sources;

/// <summary>A sources file that does not validate; the message lists every problem.</summary>
public sealed class SourceCatalogException(string path, IReadOnlyList<string> problems)
    : Exception($"{path} has {problems.Count} problem(s):\n" + string.Join("\n", problems.Select(p => "  - " + p)));

/// <summary>
/// The catalog in force. Read at start, where a bad file stops the start with every problem named; afterwards
/// <see cref="Reload"/> swaps in a new catalog only when the whole file validates, so a broken edit keeps the previous one.
/// Reloads hold the file to the same <see cref="MinInterval"/> as the start did.
/// </summary>
public sealed class SourceCatalogProvider
{
    // Guards the catalog in force together with the token that fires when it is replaced; Current reads without it.
    private readonly Lock _currentLock = new();
    private readonly string? _fileRoot;
    private volatile SourceCatalog _current;
    private CancellationTokenSource _changed = new();

    /// <param name="fileRoot">Sources:FileRoot, which every reload applies too; null: the sources file's folder.</param>
    public SourceCatalogProvider(SourceCatalog initial, TimeSpan minInterval, string? fileRoot = null)
    {
        _current = initial;
        MinInterval = minInterval;
        _fileRoot = fileRoot;
    }

    public SourceCatalog Current => _current;

    /// <summary>The shortest Interval a source may have (<c>Ingestion:MinInterval</c>).</summary>
    public TimeSpan MinInterval { get; }

    /// <summary>Cancelled when <see cref="Current"/> is replaced; read it again afterwards for the next change.</summary>
    public CancellationToken ChangeToken
    {
        get
        {
            // Under the lock: Replace disposes the source it swaps out, and a disposed source's Token throws.
            lock (_currentLock) return _changed.Token;
        }
    }

    /// <param name="fileRoot">Sources:FileRoot: the folder saved pages must be in; null: the sources file's folder.</param>
    public static SourceCatalogProvider Load(string path, TimeSpan minInterval, string? fileRoot = null)
    {
        var result = SourceCatalogLoader.Load(path, fileRoot, minInterval);
        if (!result.IsValid) throw new SourceCatalogException(Path.GetFullPath(path), result.Problems);
        return new SourceCatalogProvider(result.Catalog!, minInterval, fileRoot);
    }

    /// <summary>Reads the file again. Valid: it becomes <see cref="Current"/> and <see cref="ChangeToken"/> fires. Not valid: nothing changes.</summary>
    public SourceCatalogLoadResult Reload()
    {
        var result = SourceCatalogLoader.Load(_current.FilePath, _fileRoot, MinInterval);
        if (result.IsValid) Replace(result.Catalog!);
        return result;
    }

    public void Replace(SourceCatalog catalog)
    {
        CancellationTokenSource previous;
        lock (_currentLock)
        {
            _current = catalog;
            previous = _changed;
            _changed = new CancellationTokenSource();
        }
        previous.Cancel();
        previous.Dispose();
    }
}
