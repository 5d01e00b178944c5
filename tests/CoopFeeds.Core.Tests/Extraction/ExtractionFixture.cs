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
    /// Reads the listing as ingestion does: page by page up to MaxPages following NextPage, each page parsed from its
    /// bytes with the address it would have been fetched from (BaseUrl for the first page of a saved page), extracted,
    /// normalized with the fixed fetch time, and merged in order keeping the first item of each identity key.
    /// A next page is served from the file of the same name beside the current one.
    /// </summary>
    public async Task<FixtureRead> ReadAsync()
    {
        var items = new List<Item>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var nextPages = new List<string?>();
        var pages = new List<ListingPage>();

        var file = Source.Location.LocalPath;
        var address = Source.BaseUrl ?? Source.Location;
        while (true)
        {
            await using var stream = File.OpenRead(file);
            using var document = await ListingDocument.ParseAsync(stream, address, "text/html", CancellationToken.None);
            var page = ListingExtractor.Extract(document, Source.Selectors, pages.Count + 1);
            pages.Add(page);
            nextPages.Add(page.NextPage);

            var normalized = ItemNormalizer.Normalize(Source.Definition, page.Items, FetchedAt);
            warnings.AddRange(normalized.Warnings);
            items.AddRange(normalized.Items.Where(i => keys.Add(i.IdentityKey)));

            if (page.NextPage is null || pages.Count >= Source.Definition.MaxPages) break;
            address = new Uri(new Uri(document.BaseUri), page.NextPage);
            file = Path.Combine(Path.GetDirectoryName(file)!, Path.GetFileName(address.LocalPath));
        }

        return new FixtureRead(items, warnings, nextPages, pages);
    }
}

public sealed record FixtureRead(IReadOnlyList<Item> Items, IReadOnlyList<string> Warnings, IReadOnlyList<string?> NextPages, IReadOnlyList<ListingPage> Pages);
