using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
using CoopFeeds.Core.Tests.Extraction;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>
/// On every extraction fixture, the top candidate, pasted into a sources file as a maintainer would paste it, gives the
/// page's expected items: the same links, titles, calendar dates, summaries and categories, and no other item. The
/// fixtures with fewer than three items get none: a list needs three.
/// </summary>
public sealed class FixtureSuggestionTests
{
    public static TheoryData<string> Lists => new(FixtureExtractionTests.Names.Where(n => ExtractionFixture.Load(n).ExpectedItems.Count >= 3));

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task TheTopCandidateReproducesTheFixturesItems(string name)
    {
        var fixture = ExtractionFixture.Load(name);
        var result = await SuggestAsync(fixture);

        var top = Assert.IsType<SuggestedSource>(result.Candidates.FirstOrDefault(), exactMatch: false);
        var items = await ReadAsync(fixture, top.Source);
        var problems = new List<string>();
        if (items.Count != fixture.ExpectedItems.Count) problems.Add($"{items.Count} items, expected {fixture.ExpectedItems.Count}");
        foreach (var (want, got) in fixture.ExpectedItems.Zip(items))
        {
            if (want.Link != got.Link?.AbsoluteUri) problems.Add($"link {got.Link}, expected {want.Link}");
            if (Collapse(want.Title) != Collapse(got.Title)) problems.Add($"title \"{got.Title}\", expected \"{want.Title}\"");
            if (Day(want.Date) != Day(got.Published)) problems.Add($"{want.Title}: date {Day(got.Published)}, expected {Day(want.Date)}");
            if (want.Summary != got.Summary) problems.Add($"{want.Title}: summary \"{got.Summary}\", expected \"{want.Summary}\"");
            if (want.Category != got.Category) problems.Add($"{want.Title}: category \"{got.Category}\", expected \"{want.Category}\"");
        }
        Assert.True(problems.Count == 0, $"{name} with {JsonSerializer.Serialize(top.Source, SuggestionJson.Options)}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("windows-1252-undeclared")]
    public async Task AFixtureOfTwoItemsGetsNoCandidate(string name)
    {
        var result = await SuggestAsync(ExtractionFixture.Load(name));

        Assert.Empty(result.Candidates);
        Assert.Contains("too short a list: only 2 similar items (div.nouvelle), and a list needs at least 3", result.Problems);
    }

    [Fact]
    public async Task NoProposedSelectorUsesAPositionOrAnAppearanceClass()
    {
        foreach (var name in FixtureExtractionTests.Names)
        {
            var result = await SuggestAsync(ExtractionFixture.Load(name));
            foreach (var selector in result.Candidates.SelectMany(Selectors))
            {
                Assert.DoesNotContain(":nth-", selector, StringComparison.Ordinal);
                Assert.DoesNotContain(":first-child", selector, StringComparison.Ordinal);
                Assert.DoesNotMatch(@"\.(?:mt|mb|p[xytb]?|m[xytb]?|col|text|d|bg|g|h|w)-", selector);
                Assert.DoesNotMatch(@"#[\w-]*\d", selector);
            }
        }
    }

    private static IEnumerable<string> Selectors(SuggestedSource candidate)
    {
        var s = candidate.Source.Selectors;
        return new[] { s.Item, s.Title, s.Link, s.Date, s.Summary, s.Category, s.Group, s.NextPage }.OfType<string>();
    }

    /// <summary>As <c>suggest</c> runs the engine on a saved page: its address is the fixture's BaseUrl, and the page it names next is read when it is saved beside it.</summary>
    internal static async Task<SuggestionResult> SuggestAsync(ExtractionFixture fixture)
    {
        var location = fixture.Source.Location;
        using var document = await ParseAsync(location.LocalPath, fixture.Source.BaseUrl ?? location);
        var input = new SuggestionInput { Page = new(location, document), BaseUrl = fixture.Source.BaseUrl, FetchedAt = fixture.FetchedAt };
        var result = SelectorSuggester.Suggest(input);
        if (result.NextPageToVerify is { Location.IsFile: true } next && File.Exists(next.Location.LocalPath))
        {
            using var second = await ParseAsync(next.Location.LocalPath, next.Address ?? next.Location);
            result = SelectorSuggester.Suggest(input with { SecondPage = new(next.Location, second) });
        }
        return result;
    }

    /// <summary>The proposed source pasted beside the fixture and read by the page step, extractor and normalizer.</summary>
    internal static async Task<IReadOnlyList<Item>> ReadAsync(ExtractionFixture fixture, ProposedSource proposed)
    {
        var entry = JsonNode.Parse(JsonSerializer.Serialize(proposed, SuggestionJson.Options))!.AsObject();
        entry["Id"] = "suggested";
        entry["Section"] = "fixtures";
        entry["Url"] = Path.GetRelativePath(ExtractionFixture.Folder, fixture.Source.Location.LocalPath);
        if (fixture.Source.BaseUrl is { } baseUrl) entry["BaseUrl"] = baseUrl.AbsoluteUri;
        var file = new JsonObject
        {
            ["Sections"] = new JsonArray(new JsonObject { ["Slug"] = "fixtures", ["Title"] = "Fixtures" }),
            ["Sources"] = new JsonArray(entry),
        };
        var loaded = SourceCatalogLoader.Parse(file.ToJsonString(), Path.Combine(ExtractionFixture.Folder, "sources.json"));
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Problems));
        var source = loaded.Catalog!.Sources[0];

        var listing = new ListingMerger(source, knownKeys: null);
        while (listing.Next is { } request)
        {
            if (!File.Exists(request.Location.LocalPath))
            {
                listing.NotRead("not saved");
                break;
            }
            using var document = await ParseAsync(request.Location.LocalPath, request.Address ?? request.Location);
            var page = ListingExtractor.Extract(document, source.Selectors, request.Number);
            listing.Add(page, ItemNormalizer.Normalize(source, page.Items, fixture.FetchedAt));
        }
        return listing.Merged().Items;
    }

    private static async Task<AngleSharp.Dom.IDocument> ParseAsync(string path, Uri address)
    {
        await using var stream = File.OpenRead(path);
        return await ListingDocument.ParseAsync(stream, address, "text/html", CancellationToken.None);
    }

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string? Day(DateTimeOffset? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
