using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Sources;

/// <summary>
/// One source entry typed by hand (<c>preview --url</c>, the studio's form), checked by the sources-file loader as if it
/// were the only entry of a file of its own, so that it is held to every rule a saved source is held to.
/// </summary>
public static class AdHocSource
{
    /// <summary>Parses <paramref name="entry"/> (a sources-file entry with Id, Section and Url) in a section of its own.</summary>
    /// <param name="folder">The folder a relative Url would be read from.</param>
    /// <returns>The catalog of that one source, or every problem with it, without the "source 'id': " each would begin with.</returns>
    public static SourceCatalogLoadResult Parse(JsonObject entry, string folder, TimeSpan minInterval)
    {
        var id = Text(entry, "Id");
        var section = Text(entry, "Section");
        var file = new JsonObject
        {
            ["Sections"] = new JsonArray(new JsonObject { ["Slug"] = section, ["Title"] = section }),
            ["Sources"] = new JsonArray(entry.DeepClone()),
        };
        var loaded = SourceCatalogLoader.ParseAdHoc(file.ToJsonString(), Path.Combine(folder, "ad-hoc.json"), minInterval);
        return loaded with { Problems = [.. loaded.Problems.Select(p => p.Replace($"source '{id}': ", ""))] };
    }

    /// <summary>A string member, its name matched as the loader matches names (ignoring case); "" when absent or not a string.</summary>
    private static string Text(JsonObject entry, string key) => EntryMembers.Text(entry, key) ?? "";
}
