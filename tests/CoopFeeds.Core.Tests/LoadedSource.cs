using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests;

/// <summary>A source as the loader resolves it (selectors parsed, cultures and zone looked up) from one entry of a sources file.</summary>
public static class LoadedSource
{
    /// <param name="entry">The JSON of one entry of "Sources", in the section "news".</param>
    public static ConfiguredSource From(string entry)
    {
        var json = $$"""{ "Sections": [ { "Slug": "news", "Title": "News" } ], "Sources": [ {{entry}} ] }""";
        var loaded = SourceCatalogLoader.Parse(json, Path.Combine(Path.GetTempPath(), "sources.json"));
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Problems));
        return loaded.Catalog!.Sources.Single();
    }
}
