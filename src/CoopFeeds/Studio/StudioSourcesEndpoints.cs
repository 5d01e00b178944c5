using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Sources;

namespace CoopFeeds.Studio;

/// <summary>One source of the sources file, listed for the studio's "repair" choice.</summary>
public sealed record SourceListing(string Id, string Section, string Url);

/// <summary>One section of the sources file, for the save form's choice.</summary>
public sealed record SectionListing(string Slug, string Title);

public sealed record SourcesResponse(IReadOnlyList<SourceListing> Sources, IReadOnlyList<SectionListing> Sections);

/// <summary>A source's entry as it stands in the sources file (its comments aside), to repair it.</summary>
public sealed record SourceResponse(string Id, string Section, string Url, JsonObject Source);

/// <summary>The sources file the service runs on, as the studio reads it: the sources and sections in force, and one entry as written.</summary>
internal static class StudioSourcesEndpoints
{
    private static readonly JsonDocumentOptions FileOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static IResult List(SourceCatalogProvider catalogs)
    {
        var catalog = catalogs.Current;
        return TypedResults.Json(new SourcesResponse(
            [.. catalog.Sources.Select(s => new SourceListing(s.Id, s.Section, s.Definition.Url))],
            [.. catalog.Sections.Select(s => new SectionListing(s.Slug, s.Title))]), StudioJson.Options);
    }

    public static async Task<IResult> GetAsync(string id, SourceCatalogProvider catalogs, CancellationToken cancellationToken)
    {
        var path = catalogs.Current.FilePath;
        JsonNode? file;
        try
        {
            await using var stream = File.OpenRead(path);
            file = await JsonNode.ParseAsync(stream, documentOptions: FileOptions, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // The file was changed on disk into something the service would not load either; the catalog in force still says what runs.
            return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"the sources file cannot be read now: {ex.Message}");
        }

        var entry = (Member(file as JsonObject, "Sources") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(e => Text(e, "Id") == id);
        if (entry is null) return StudioJson.Refuse(StatusCodes.Status404NotFound, $"no source '{id}' in the sources file");
        return TypedResults.Json(new SourceResponse(id, Text(entry, "Section") ?? "", Text(entry, "Url") ?? "", (JsonObject)entry.DeepClone()), StudioJson.Options);
    }

    /// <summary>A member, its name matched as the sources-file loader matches names (ignoring case).</summary>
    private static JsonNode? Member(JsonObject? entry, string name) =>
        entry?.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string? Text(JsonObject entry, string name) =>
        Member(entry, name) is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
