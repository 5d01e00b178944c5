using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>What a fixture's expectation file says one item must be: written from the page, never from the code's output.</summary>
public sealed record ExpectedItem(string Title, string? Link, DateTimeOffset? Date, string? Summary, string? Category, string? SummaryHtml, bool ChecksSummaryHtml);

/// <summary>
/// One fixture page (or paginated set) of Fixtures/Extraction and its <c>&lt;name&gt;.expected.json</c>: the source
/// definition a maintainer would write, the fetch time, and the items, next-page links and warnings the page must give.
/// </summary>
public sealed class ExtractionFixture
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Extraction");

    public required string Name { get; init; }
    public required ConfiguredSource Source { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }
    public required IReadOnlyList<string?> ExpectedNextPages { get; init; }
    public required IReadOnlyList<ExpectedItem> ExpectedItems { get; init; }
    public required IReadOnlyList<string> ExpectedWarnings { get; init; }

    public static ExtractionFixture Load(string name)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")))!.AsObject();

        // A tiny sources document around the fixture's source, anchored in the fixture folder so that Url is the page's path.
        var sources = new JsonObject
        {
            ["Sections"] = new JsonArray(new JsonObject { ["Slug"] = "fixtures", ["Title"] = "Extraction fixtures" }),
            ["Sources"] = new JsonArray(root["Source"]!.DeepClone()),
        };
        var loaded = SourceCatalogLoader.Parse(sources.ToJsonString(), Path.Combine(Folder, "sources.json"));
        Assert.True(loaded.IsValid, $"{name}: " + string.Join("; ", loaded.Problems));

        return new ExtractionFixture
        {
            Name = name,
            Source = loaded.Catalog!.Sources.Single(),
            FetchedAt = DateTimeOffset.Parse((string)root["FetchedAt"]!, CultureInfo.InvariantCulture),
            ExpectedNextPages = root["NextPages"] is JsonArray next ? [.. next.Select(n => (string?)n)] : [null],
            ExpectedItems = [.. root["Items"]!.AsArray().Select(ReadItem)],
            ExpectedWarnings = [.. root["Warnings"]!.AsArray().Select(w => (string)w!)],
        };
    }

    private static ExpectedItem ReadItem(JsonNode? node)
    {
        var item = node!.AsObject();
        var date = (string?)item["date"];
        return new ExpectedItem(
            (string)item["title"]!,
            (string?)item["link"],
            date is null ? null : DateTimeOffset.Parse(date, CultureInfo.InvariantCulture),
            (string?)item["summary"],
            (string?)item["category"],
            (string?)item["summaryHtml"],
            item.ContainsKey("summaryHtml"));
    }

    /// <summary>
    /// Reads the listing as ingestion does, through the same <see cref="ListingMerger"/>: each page parsed from its file
    /// with the address it would have been fetched from (BaseUrl for a saved page), extracted, normalized with the
    /// fixed fetch time, and merged. The fixture is a saved page, so a next page is the file its link names beside the
    /// current one.
    /// </summary>
    public async Task<FixtureRead> ReadAsync()
    {
        var listing = new ListingMerger(Source, knownKeys: null);
        var pages = new List<ListingPage>();
        while (listing.Next is { } request)
        {
            await using var stream = File.OpenRead(request.Location.LocalPath);
            using var document = await ListingDocument.ParseAsync(stream, request.Address ?? request.Location, "text/html", CancellationToken.None);
            var page = ListingExtractor.Extract(document, Source.Selectors, request.Number);
            pages.Add(page);
            listing.Add(page, ItemNormalizer.Normalize(Source, page.Items, FetchedAt));
        }

        var merged = listing.Merged();
        return new FixtureRead(merged.Items, merged.Warnings, [.. pages.Select(p => p.NextPage)], pages);
    }
}

public sealed record FixtureRead(IReadOnlyList<Item> Items, IReadOnlyList<string> Warnings, IReadOnlyList<string?> NextPages, IReadOnlyList<ListingPage> Pages);
