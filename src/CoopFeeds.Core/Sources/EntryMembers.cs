using System.Text.Json.Nodes;

namespace CoopFeeds.Core.Sources;

/// <summary>The members of a sources-file entry, their names matched as the loader matches them (ignoring case).</summary>
public static class EntryMembers
{
    /// <summary>The name <paramref name="name"/> has in <paramref name="entry"/> (its first spelling), or null.</summary>
    public static string? NameOf(JsonObject entry, string name) =>
        entry.Select(p => p.Key).FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The member's value, or null when the entry has no such member (or it is JSON null).</summary>
    public static JsonNode? Find(JsonObject? entry, string name) =>
        entry is not null && NameOf(entry, name) is { } key ? entry[key] : null;

    /// <summary>The member as a string, or null when it is missing or not a string.</summary>
    public static string? Text(JsonObject? entry, string name) =>
        Find(entry, name) is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    /// <summary>Removes the member under every spelling.</summary>
    public static void Remove(JsonObject entry, string name)
    {
        while (NameOf(entry, name) is { } key) entry.Remove(key);
    }
}
