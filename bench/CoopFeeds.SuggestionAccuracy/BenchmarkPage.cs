using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.SuggestionAccuracy;

/// <summary>What a page must give, as its expectation file says: written from the page, never from the code's output.</summary>
internal sealed record ExpectedItem(string Title, string? Link, DateTimeOffset? Date, string? Summary, string? Category);

/// <summary>
/// One page of the benchmark: a saved page, the address its links resolve against, the fetch time its relative dates
/// count from, and the items a maintainer's selectors give. Either a bundled sample (samples/sources.json with
/// pages/&lt;id&gt;.expected.json) or an extraction fixture (&lt;name&gt;.expected.json: Source, FetchedAt, Items).
/// </summary>
internal sealed record BenchmarkPage
{
    /// <summary>The bundled samples carry no fetch time; their dates are all absolute, so any fixed one reads them alike.</summary>
    public static readonly DateTimeOffset SampleFetchTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public required string Name { get; init; }
    public required string Kind { get; init; }
    public required string File { get; init; }
    public Uri? BaseUrl { get; init; }
    public required DateTimeOffset FetchedAt { get; init; }
    public required IReadOnlyList<ExpectedItem> Expected { get; init; }

    /// <summary>The page's own source entry, as its maintainer wrote it: the selectors, formats and cultures (no Id or Url).</summary>
    public JsonObject? Source { get; init; }

    public static IEnumerable<BenchmarkPage> Samples(string repository)
    {
        var sourcesFile = Path.Combine(repository, "samples", "sources.json");
        var loaded = SourceCatalogLoader.Load(sourcesFile);
        if (!loaded.IsValid) throw new InvalidOperationException(string.Join("; ", loaded.Problems));
        foreach (var source in loaded.Catalog!.Sources)
        {
            var expected = Path.ChangeExtension(source.Location.LocalPath, null) + ".expected.json";
            yield return new BenchmarkPage
            {
                Name = source.Id,
                Kind = "sample",
                File = source.Location.LocalPath,
                BaseUrl = source.BaseUrl,
                FetchedAt = SampleFetchTime,
                Source = Entry(JsonSerializer.SerializeToNode(source.Definition)!.AsObject()),
                Expected = [.. JsonNode.Parse(System.IO.File.ReadAllText(expected))!.AsArray().Select(Read)],
            };
        }
    }

    /// <summary>Every <c>*.expected.json</c> of a folder in the extraction fixtures' format.</summary>
    public static IEnumerable<BenchmarkPage> Fixtures(string folder, string kind)
    {
        foreach (var path in Directory.GetFiles(folder, "*.expected.json").Order(StringComparer.Ordinal))
        {
            var root = JsonNode.Parse(System.IO.File.ReadAllText(path))!.AsObject();
            var source = root["Source"]!.AsObject();
            var baseUrl = (string?)source["BaseUrl"];
            yield return new BenchmarkPage
            {
                Name = Path.GetFileName(path)[..^".expected.json".Length],
                Kind = kind,
                File = Path.GetFullPath(Path.Combine(folder, (string)source["Url"]!)),
                BaseUrl = baseUrl is null ? null : new Uri(baseUrl),
                FetchedAt = DateTimeOffset.Parse((string)root["FetchedAt"]!, CultureInfo.InvariantCulture),
                Source = Entry(source),
                Expected = [.. root["Items"]!.AsArray().Select(Read)],
            };
        }
    }

    /// <summary>What a maintainer's entry says about reading the page: selectors, formats, cultures, zone and pages.</summary>
    private static JsonObject Entry(JsonObject source)
    {
        var entry = new JsonObject();
        foreach (var key in new[] { "Selectors", "DateFormats", "Cultures", "TimeZone", "MaxPages" })
            if (source.FirstOrDefault(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value is { } value) entry[key] = value.DeepClone();
        return entry;
    }

    private static ExpectedItem Read(JsonNode? node)
    {
        var item = node!.AsObject();
        var date = (string?)item["date"];
        return new ExpectedItem(
            (string)item["title"]!,
            (string?)item["link"],
            date is null ? null : DateTimeOffset.Parse(date, CultureInfo.InvariantCulture),
            (string?)item["summary"],
            (string?)item["category"]);
    }
}
