using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Sources;

namespace CoopFeeds.Studio;

/// <summary>
/// The source a studio form describes, for a page the studio fetched: the sources-file entry as typed (Selectors,
/// DateFormats, Cultures, MaxPages…), on the page's address, checked by the sources-file loader as a saved entry is.
/// </summary>
internal static class StudioSource
{
    /// <summary>The id and section of a form that names none yet (an item without a link takes its id from the source id).</summary>
    public const string Unnamed = "studio";

    /// <param name="allowPrivateNetworks">Studio:AllowPrivateNetworks: what the entry says, whatever the form says.</param>
    public static (ConfiguredSource? Source, IReadOnlyList<string> Problems) Parse(
        JsonObject entry, Uri url, bool allowPrivateNetworks, TimeSpan minInterval)
    {
        var definition = EntryFor(entry, url, allowPrivateNetworks);
        if (EntryMembers.NameOf(definition, "Id") is null) definition["Id"] = Unnamed;
        if (EntryMembers.NameOf(definition, "Section") is null) definition["Section"] = Unnamed;
        // The studio respects robots.txt on every page it reads, whatever the form says (its later pages are fetched
        // within the studio's policy anyway; this keeps the source previewed saying what was done).
        EntryMembers.Remove(definition, "RespectRobots");
        definition["RespectRobots"] = true;

        var loaded = AdHocSource.Parse(definition, Path.GetTempPath(), minInterval);
        return loaded.IsValid ? (loaded.Catalog!.Sources[0], []) : (null, loaded.Problems);
    }

    /// <summary>
    /// The entry the form describes, on the page's address (the items are read from its bytes), with the studio's network
    /// reach, never the form's: <paramref name="allowPrivateNetworks"/> says <c>"AllowPrivateNetworks": true</c> (a source
    /// the studio reached through Studio:AllowPrivateNetworks, or one whose entry had it), so that ingestion reaches it too.
    /// </summary>
    public static JsonObject EntryFor(JsonObject entry, Uri url, bool allowPrivateNetworks)
    {
        var definition = (JsonObject)entry.DeepClone();
        EntryMembers.Remove(definition, "Url");
        EntryMembers.Remove(definition, "AllowPrivateNetworks");
        definition["Url"] = url.AbsoluteUri;
        if (allowPrivateNetworks) definition["AllowPrivateNetworks"] = true;
        return definition;
    }
}
