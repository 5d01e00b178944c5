using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core;

/// <summary>
/// The item shape <c>preview --json</c> prints and <c>pages/&lt;id&gt;.expected.json</c> holds:
/// <c>date</c> is RFC 3339 with the offset the page gave, or null when it gave none; <c>summary</c> is plain text.
/// </summary>
public sealed record ItemJson(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("link")] string? Link,
    [property: JsonPropertyName("date")] string? Date,
    [property: JsonPropertyName("summary")] string? Summary,
    [property: JsonPropertyName("category")] string? Category)
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Maintainers read these files: keep ’ and é as they are. Still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = CoreJsonContext.Default,
    };

    public static ItemJson From(Item item) => new(
        item.Id,
        item.Title,
        item.Link is null ? null : WireFormat.Uri(item.Link), // as the feeds write it (an IDN host in ASCII)
        item.Published?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        item.Summary,
        item.Category);

    public static string Serialize(IEnumerable<Item> items) =>
        JsonSerializer.Serialize(items.Select(From).ToList(), CoreJsonContext.TypeInfo<List<ItemJson>>(Options));
}
