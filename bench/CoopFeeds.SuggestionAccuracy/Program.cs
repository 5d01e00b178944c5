using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Core;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
using CoopFeeds.SuggestionAccuracy;

// The accuracy of `suggest`: for every bundled sample page and every extraction fixture (and the fixture-format folders
// named on the command line), whether the top candidate and the best of the top 3 reproduce the page's expected items.
// Each candidate is pasted into a sources file as a maintainer would paste it, loaded by the real loader and read by the
// real page step, extractor and normalizer; a saved page's next page is read when the engine names one beside it.
//
//   dotnet run --project bench/CoopFeeds.SuggestionAccuracy [-- [--verbose] [--only NAME] [FOLDER]...]

var verbose = args.Contains("--verbose");
var only = Array.IndexOf(args, "--only") is >= 0 and var at && at + 1 < args.Length ? args[at + 1] : null;
var repository = FindRepository();
var pages = new List<BenchmarkPage>();
pages.AddRange(BenchmarkPage.Samples(repository));
pages.AddRange(BenchmarkPage.Fixtures(Path.Combine(repository, "tests", "CoopFeeds.Core.Tests", "Fixtures", "Extraction"), "fixture"));
foreach (var folder in args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || args[i - 1] != "--only")))
    pages.AddRange(BenchmarkPage.Fixtures(Path.GetFullPath(folder), Path.GetFileName(Path.GetFullPath(folder).TrimEnd('/'))));
if (only is not null) pages.RemoveAll(p => p.Name != only);

Console.WriteLine("| page | kind | expected | top-1 items | top-1 F1 | title | date | summary | category | best of top 3 | note |");
Console.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|");
int reproducedTop1 = 0, reproducedTop3 = 0;
var clock = System.Diagnostics.Stopwatch.StartNew();
foreach (var page in pages)
{
    // The expected items must be what the page's own selectors give; a page where they are not is not measured.
    if (page.Source is { } own && !Accuracy.Of(await ReadSourceAsync(page, (JsonObject)own.DeepClone()), page.Expected).Reproduces)
        Console.Error.WriteLine($"{page.Name}: its own source does not give its expected items; check the expectation file");
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    var (result, candidates) = await SuggestAsync(page);
    var engine = System.Diagnostics.Stopwatch.GetElapsedTime(started);
    var accuracies = new List<Accuracy>();
    foreach (var candidate in candidates) accuracies.Add(Accuracy.Of(await ReadAsync(page, candidate), page.Expected));
    var top = accuracies.FirstOrDefault() ?? Accuracy.None;
    var bestRank = accuracies.FindIndex(a => a.Reproduces);
    var best = bestRank >= 0 ? accuracies[bestRank] : accuracies.OrderByDescending(a => a.F1).FirstOrDefault() ?? Accuracy.None;
    if (top.Reproduces) reproducedTop1++;
    if (bestRank >= 0) reproducedTop3++;

    var note = top.Reproduces ? "" : candidates.Count == 0 ? "no candidate: " + string.Join("; ", result.Problems) : "top-1 short on " + string.Join(", ", top.Shortfalls());
    var rank = bestRank >= 0 ? $"#{bestRank + 1} reproduces" : candidates.Count == 0 ? "none" : $"best F1 {F(best.F1)}";
    Console.WriteLine($"| {page.Name} | {page.Kind} | {page.Expected.Count} | {top.Got} | {F(top.F1)} | {F(top.Title)} | {F(top.Date)} | {F(top.Summary)} | {F(top.Category)} | {rank} | {note.Replace("|", "\\|")} |");
    if (verbose)
    {
        Console.Error.WriteLine($"== {page.Name} ({engine.TotalMilliseconds:0} ms)");
        Console.Error.WriteLine(SuggestionJson.Serialize(result with { Candidates = [.. result.Candidates.Select(c => c with { Items = [] })] }));
    }
}
Console.WriteLine();
Console.WriteLine($"{pages.Count} pages: the top candidate reproduces {reproducedTop1}, one of the top 3 reproduces {reproducedTop3} ({clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s).");
return 0;

static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

static async Task<(SuggestionResult Result, IReadOnlyList<SuggestedSource> Candidates)> SuggestAsync(BenchmarkPage page)
{
    var location = new Uri(page.File);
    using var document = await ParseAsync(page.File, page.BaseUrl ?? location);
    var input = new SuggestionInput { Page = new(location, document), BaseUrl = page.BaseUrl, FetchedAt = page.FetchedAt, Top = 3 };
    var result = SelectorSuggester.Suggest(input);
    // As `suggest` does: read the next page the engine names, when it is a saved page beside this one, and ask again.
    if (result.NextPageToVerify is { Location.IsFile: true } next && File.Exists(next.Location.LocalPath))
    {
        using var second = await ParseAsync(next.Location.LocalPath, next.Address ?? next.Location);
        result = SelectorSuggester.Suggest(input with { SecondPage = new(next.Location, second) });
    }
    return (result, result.Candidates);
}

static async Task<AngleSharp.Dom.IDocument> ParseAsync(string file, Uri address)
{
    await using var stream = File.OpenRead(file);
    return await ListingDocument.ParseAsync(stream, address, "text/html", CancellationToken.None);
}

// The candidate's source pasted into a sources file beside the page, loaded and read as ingestion reads a saved page.
static Task<IReadOnlyList<Item>> ReadAsync(BenchmarkPage page, SuggestedSource candidate) =>
    ReadSourceAsync(page, JsonNode.Parse(JsonSerializer.Serialize(candidate.Source, SuggestionJson.Options))!.AsObject());

static async Task<IReadOnlyList<Item>> ReadSourceAsync(BenchmarkPage page, JsonObject entry)
{
    entry["Id"] = "bench";
    entry["Section"] = "bench";
    entry["Url"] = Path.GetFileName(page.File);
    if (page.BaseUrl is not null) entry["BaseUrl"] = page.BaseUrl.AbsoluteUri;
    var file = new JsonObject
    {
        ["Sections"] = new JsonArray(new JsonObject { ["Slug"] = "bench", ["Title"] = "Bench" }),
        ["Sources"] = new JsonArray(entry),
    };
    var loaded = SourceCatalogLoader.Parse(file.ToJsonString(), Path.Combine(Path.GetDirectoryName(page.File)!, "bench-sources.json"));
    if (!loaded.IsValid) throw new InvalidOperationException($"{page.Name}: the proposed source does not load: " + string.Join("; ", loaded.Problems));
    var source = loaded.Catalog!.Sources[0];

    var listing = new ListingMerger(source, knownKeys: null);
    while (listing.Next is { } request)
    {
        if (!File.Exists(request.Location.LocalPath))
        {
            listing.NotRead("no such saved page");
            break;
        }
        using var document = await ParseAsync(request.Location.LocalPath, request.Address ?? request.Location);
        var extracted = ListingExtractor.Extract(document, source.Selectors, request.Number);
        listing.Add(extracted, ItemNormalizer.Normalize(source, extracted.Items, page.FetchedAt));
    }
    return listing.Merged().Items;
}

static string FindRepository()
{
    for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "CoopFeeds.sln"))) return folder.FullName;
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "CoopFeeds.sln"))) return folder.FullName;
    throw new DirectoryNotFoundException("CoopFeeds.sln not found above the current folder");
}
