using System.Globalization;

namespace CoopFeeds.Core.Sources;

/// <summary>A source from the sources file, validated, with its selectors parsed and its location resolved.</summary>
public sealed record ConfiguredSource
{
    public required SourceDefinition Definition { get; init; }
    public required ListingSelectors Selectors { get; init; }

    /// <summary>An http(s) URL, or a <c>file:</c> URI of a saved page resolved against the sources file's folder.</summary>
    public required Uri Location { get; init; }

    /// <summary>The address links resolve against: <see cref="SourceDefinition.BaseUrl"/>, else the fetched address.</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary><see cref="SourceDefinition.Cultures"/> looked up, never empty: the loader refuses a name it cannot find.</summary>
    public required IReadOnlyList<CultureInfo> Cultures { get; init; }

    /// <summary><see cref="SourceDefinition.TimeZone"/> looked up; null means UTC.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>
    /// The folder every file this source reads must be inside, links resolved (<see cref="SavedPagePath"/>): the sources
    /// file's folder, or <c>Sources:FileRoot</c>. Checked when the file is read, and again at every read. Null only for a page
    /// an operator names by hand (<c>preview --url</c>), which is read as given.
    /// </summary>
    public string? FileRoot { get; init; }

    public string Id => Definition.Id;
    public string Section => Definition.Section;
    public bool IsSavedPage => Location.IsFile;
}

/// <summary>The validated content of a sources file: sections and the sources that feed them.</summary>
public sealed class SourceCatalog
{
    public SourceCatalog(string filePath, IReadOnlyList<SectionDefinition> sections, IReadOnlyList<ConfiguredSource> sources)
    {
        FilePath = filePath;
        Sections = sections;
        Sources = sources;
    }

    /// <summary>Absolute path of the sources file this catalog was read from.</summary>
    public string FilePath { get; }

    public IReadOnlyList<SectionDefinition> Sections { get; }
    public IReadOnlyList<ConfiguredSource> Sources { get; }

    public string Folder => Path.GetDirectoryName(FilePath)!;

    public SectionDefinition? FindSection(string slug) =>
        Sections.FirstOrDefault(s => string.Equals(s.Slug, slug, StringComparison.Ordinal));

    public ConfiguredSource? FindSource(string id) =>
        Sources.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));
}
