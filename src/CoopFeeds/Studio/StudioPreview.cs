using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Core;
using CoopFeeds.Core.Sources;
using CoopFeeds.Ingestion;

namespace CoopFeeds.Studio;

/// <summary>
/// How many elements a field's selector found; for Date, how many items shown have date text, and how many of those
/// dates were read.
/// </summary>
public sealed record FieldCount(int Matched, int? Parsed = null);

/// <summary>
/// What <c>/studio/api/preview</c> answers: the items exactly as ingestion would store them, each as <c>preview --json</c>
/// prints it plus the date text it was read from (<c>rawDate</c>) and the warnings about it; per field with a selector,
/// what it matched (over every page read); and the warnings about the listing as a whole.
/// </summary>
public sealed record PreviewResponse(JsonArray Items, IReadOnlyDictionary<string, FieldCount> Counts, IReadOnlyList<string> Warnings)
{
    public static PreviewResponse From(ListingRead read, ConfiguredSource source)
    {
        var items = new JsonArray();
        foreach (var note in read.Notes)
        {
            var row = JsonSerializer.SerializeToNode(ItemJson.From(note.Item), StudioJson.Item)!.AsObject();
            row["rawDate"] = note.Raw.Date;
            row["warnings"] = new JsonArray([.. note.Warnings.Select(w => (JsonNode?)w)]);
            items.Add((JsonNode)row);
        }
        return new PreviewResponse(items, CountsOf(read, source.Definition.Selectors), read.WarningsWithHints(source));
    }

    private static Dictionary<string, FieldCount> CountsOf(ListingRead read, SelectorSet selectors)
    {
        var pages = read.PageMatches;
        var counts = new Dictionary<string, FieldCount>
        {
            ["Item"] = new(pages.Sum(p => p.Items)),
            ["Title"] = new(pages.Sum(p => p.Title)),
        };
        if (selectors.Link is not null) counts["Link"] = new(pages.Sum(p => p.Link));
        // Both over the items shown (pages may repeat items, and some are dropped): matched, those with date text of their
        // own; parsed, of those, the ones whose date text was read (an item dated by its group heading is in neither).
        if (selectors.Date is not null)
        {
            var dated = read.Notes.Where(n => !string.IsNullOrWhiteSpace(n.Raw.Date)).ToList();
            counts["Date"] = new(dated.Count, dated.Count(n => n.DateRecognised));
        }
        if (selectors.Summary is not null) counts["Summary"] = new(pages.Sum(p => p.Summary));
        if (selectors.Category is not null) counts["Category"] = new(pages.Sum(p => p.Category));
        if (selectors.Group is not null) counts["Group"] = new(pages.Sum(p => p.GroupHeadings));
        if (selectors.NextPage is not null) counts["NextPage"] = new(pages.Count(p => p.NextPage));
        return counts;
    }
}
