using CoopFeeds.Core.Sources;

namespace CoopFeeds.Sources;

/// <summary>A sources file that does not validate; the message lists every problem.</summary>
public sealed class SourceCatalogException(string path, IReadOnlyList<string> problems)
    : Exception($"{path} has {problems.Count} problem(s):\n" + string.Join("\n", problems.Select(p => "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>The catalog in force. Read once at start; a bad file stops the start with every problem named.</summary>
public sealed class SourceCatalogProvider
{
    private volatile SourceCatalog _current;

    public SourceCatalogProvider(SourceCatalog initial) => _current = initial;

    public SourceCatalog Current => _current;

    public static SourceCatalogProvider Load(string path)
    {
        var result = SourceCatalogLoader.Load(path);
        if (!result.IsValid) throw new SourceCatalogException(Path.GetFullPath(path), result.Problems);
        return new SourceCatalogProvider(result.Catalog!);
    }
}
