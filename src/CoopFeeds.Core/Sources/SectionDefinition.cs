namespace CoopFeeds.Core.Sources;

/// <summary>A named group of sources with its own feeds (<c>/feeds/{slug}.rss|.atom|.json</c>).</summary>
public sealed record SectionDefinition
{
    /// <summary>The slug of the combined feed of every section; no section may take it.</summary>
    public const string AllSlug = "all";

    public required string Slug { get; init; }
    public required string Title { get; init; }
    public string Description { get; init; } = "";
    public string Language { get; init; } = "en";
}
