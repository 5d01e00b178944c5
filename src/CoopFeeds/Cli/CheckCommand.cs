using System.CommandLine;
using System.Text.Json;
using CoopFeeds.Core;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;

namespace CoopFeeds.Cli;

/// <summary>
/// <c>check</c>: validate the sources file and list every problem. <c>--fixtures</c>: re-extract each saved page
/// (<c>pages/&lt;id&gt;.html</c>) offline and diff it against <c>pages/&lt;id&gt;.expected.json</c>.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var sources = CoopFeedsCommandLine.SourcesOption();
        var fixtures = new Option<bool>("--fixtures") { Description = "Re-extract saved pages and diff them against their expected items" };
        var command = new Command("check", "Validate the sources file (and its fixtures)") { sources, fixtures };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(sources)!;
            // Configured like serve, so the file is held to the same Sources:FileRoot and Ingestion:MinInterval.
            using var host = CliHost.Create(null, null, CoopFeedsCommandLine.ConfigArgs(result));
            var configuration = host.Services.GetRequiredService<IConfiguration>();
            var loaded = SourceCatalogLoader.Load(path, SourcesOptions.FileRootIn(configuration), SourceIntervalOptions.ReadMinInterval(configuration));
            if (!loaded.IsValid)
            {
                Console.WriteLine($"{Path.GetFullPath(path)}: {loaded.Problems.Count} problem(s)");
                foreach (var problem in loaded.Problems) Console.WriteLine("  - " + problem);
                return 1;
            }
            var catalog = loaded.Catalog!;
            Console.WriteLine($"{catalog.FilePath}: OK, {catalog.Sections.Count} sections, {catalog.Sources.Count} sources");
            if (!result.GetValue(fixtures)) return 0;

            var reader = host.Services.GetRequiredService<ListingReader>();
            var failed = 0;
            foreach (var source in catalog.Sources)
            {
                var differences = await CompareFixtureAsync(catalog, source, reader, cancellationToken);
                if (differences is null)
                {
                    Console.WriteLine($"{source.Id}: no fixture (write one with: preview --source {source.Id} --save)");
                    continue;
                }
                if (differences.Count == 0)
                {
                    Console.WriteLine($"{source.Id}: fixture OK");
                    continue;
                }
                failed++;
                Console.WriteLine($"{source.Id}: fixture differs ({differences.Count})");
                foreach (var line in differences) Console.WriteLine("  " + line);
            }
            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>Null when the source has no fixture; otherwise the differences, empty when it matches.</summary>
    internal static async Task<List<string>?> CompareFixtureAsync(
        SourceCatalog catalog, ConfiguredSource source, ListingReader reader, CancellationToken cancellationToken)
    {
        var page = Path.Combine(catalog.Folder, "pages", source.Id + ".html");
        var expectedPath = Path.Combine(catalog.Folder, "pages", source.Id + ".expected.json");
        if (!File.Exists(page) || !File.Exists(expectedPath)) return null;

        var offline = source with
        {
            Location = new Uri(Path.GetFullPath(page)),
            // The fixture is where check itself keeps it, beside the sources file, wherever Sources:FileRoot puts the pages.
            FileRoot = catalog.Folder,
            BaseUrl = source.BaseUrl ?? (source.IsSavedPage ? null : source.Location),
            Definition = source.Definition with { MaxPages = 1 },
        };
        var read = await reader.ReadAsync(offline, ConditionalValidators.None, knownKeys: null, cancellationToken);
        if (read.FirstPage.Outcome.Kind != OutcomeKind.Success) return [$"cannot read {page}: {read.FirstPage.Outcome.Kind} {read.FirstPage.Outcome.Detail}"];

        List<ItemJson> expected;
        try
        {
            expected = JsonSerializer.Deserialize(await File.ReadAllTextAsync(expectedPath, cancellationToken), CoreJsonContext.Default.ListItemJson) ?? [];
        }
        catch (JsonException ex)
        {
            return [$"{expectedPath} is not a JSON array of items: {ex.Message}"];
        }
        return Diff(expected, read.Items.Select(ItemJson.From).ToList());
    }

    internal static List<string> Diff(IReadOnlyList<ItemJson> expected, IReadOnlyList<ItemJson> actual)
    {
        var lines = new List<string>();
        var actualById = actual.GroupBy(i => i.Id).ToDictionary(g => g.Key, g => g.First());
        var expectedIds = expected.Select(i => i.Id).ToHashSet();
        foreach (var want in expected)
        {
            if (!actualById.TryGetValue(want.Id, out var got))
            {
                lines.Add($"- missing: \"{want.Title}\" ({want.Link ?? want.Id})");
                continue;
            }
            Field("title", want.Title, got.Title);
            Field("link", want.Link, got.Link);
            Field("date", want.Date, got.Date);
            Field("summary", want.Summary, got.Summary);
            Field("category", want.Category, got.Category);

            void Field(string name, string? wanted, string? gotten)
            {
                if (wanted != gotten) lines.Add($"~ \"{want.Title}\": {name} was {Show(wanted)}, now {Show(gotten)}");
            }
        }
        foreach (var extra in actual.Where(i => !expectedIds.Contains(i.Id)))
            lines.Add($"+ new: \"{extra.Title}\" ({extra.Link ?? extra.Id})");
        if (lines.Count == 0 && !expected.Select(i => i.Id).SequenceEqual(actual.Select(i => i.Id)))
            lines.Add("~ the same items in another order");
        return lines;
    }

    private static string Show(string? value) => value is null ? "null" : $"\"{(value.Length > 80 ? value[..79] + "…" : value)}\"";
}
