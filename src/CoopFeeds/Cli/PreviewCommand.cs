using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using CoopFeeds.Core;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;

namespace CoopFeeds.Cli;

/// <summary>
/// <c>preview</c>: fetch, extract and normalize one source without storing, and show exactly what came out.
/// Either a configured source (<c>--source ID</c>) or ad hoc selectors on a URL or saved file.
/// </summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var sources = CoopFeedsCommandLine.SourcesOption();
        var sourceId = new Option<string?>("--source") { Description = "A configured source id" };
        var json = new Option<bool>("--json") { Description = "Print only the JSON array of items" };
        var save = new Option<bool>("--save") { Description = "Write pages/<id>.html and pages/<id>.expected.json beside the sources file" };
        var url = new Option<string?>("--url") { Description = "Ad hoc: an http(s) URL or a saved HTML file" };
        var fields = new Dictionary<string, Option<string?>>
        {
            ["Item"] = new("--item") { Description = "Ad hoc: CSS selector of one item" },
            ["Title"] = new("--title") { Description = "Ad hoc: title selector, relative to the item" },
            ["Link"] = new("--link"),
            ["Date"] = new("--date"),
            ["Summary"] = new("--summary"),
            ["Category"] = new("--category"),
            ["Group"] = new("--group"),
            ["NextPage"] = new("--next-page"),
        };
        var dateFormats = new Option<string[]>("--date-format") { Description = "Ad hoc: a date format, may repeat", AllowMultipleArgumentsPerToken = false };
        var cultures = new Option<string[]>("--culture") { Description = "Ad hoc: a culture name, may repeat" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Ad hoc: the address links resolve against" };
        var allowPrivateNetworks = new Option<bool>("--allow-private-networks")
        {
            Description = "Ad hoc: let a host name reach loopback and private addresses, as \"AllowPrivateNetworks\": true in the sources file",
        };
        var maxPages = new Option<int?>("--max-pages")
        {
            Description = "Ad hoc: pages to follow",
            // The parser's own message names the CLR type ("System.Nullable`1[System.Int32]").
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var pages)) return pages;
                result.AddError($"--max-pages takes a whole number of pages (got '{text}')");
                return null;
            },
        };

        var command = new Command("preview", "Show what a source's selectors extract, without storing")
        {
            sources, sourceId, json, save, url, dateFormats, cultures, baseUrl, maxPages, allowPrivateNetworks,
        };
        foreach (var option in fields.Values) command.Options.Add(option);
        command.TreatUnmatchedTokensAsErrors = false;

        command.SetAction(async (result, cancellationToken) =>
        {
            using var host = CliHost.Create(null, null, CoopFeedsCommandLine.ConfigArgs(result));
            // Configured like serve, so a source is held to the same Ingestion:MinInterval.
            var minInterval = SourceIntervalOptions.ReadMinInterval(host.Services.GetRequiredService<IConfiguration>());
            ConfiguredSource source;
            SourceCatalog catalog;
            if (result.GetValue(sourceId) is { } id)
            {
                var fileRoot = SourcesOptions.FileRootIn(host.Services.GetRequiredService<IConfiguration>());
                catalog = SourceCatalogProvider.Load(result.GetValue(sources)!, minInterval, fileRoot).Current;
                if (catalog.FindSource(id) is not { } found)
                {
                    await Console.Error.WriteLineAsync($"No source '{id}'. Sources: {string.Join(", ", catalog.Sources.Select(s => s.Id))}");
                    return 2;
                }
                source = found;
            }
            else if (result.GetValue(url) is { } target)
            {
                var selectors = new JsonObject();
                foreach (var (name, option) in fields)
                    if (result.GetValue(option) is { } value) selectors[name] = value;
                var definition = new JsonObject
                {
                    ["Id"] = "preview",
                    ["Section"] = "preview",
                    ["Url"] = target,
                    ["Selectors"] = selectors,
                    ["DateFormats"] = new JsonArray((result.GetValue(dateFormats) ?? []).Select(f => (JsonNode?)f).ToArray()),
                    ["MaxPages"] = result.GetValue(maxPages) ?? 1,
                };
                if (result.GetValue(cultures) is { Length: > 0 } names) definition["Cultures"] = new JsonArray(names.Select(n => (JsonNode?)n).ToArray());
                if (result.GetValue(baseUrl) is { } b) definition["BaseUrl"] = b;
                if (result.GetValue(allowPrivateNetworks)) definition["AllowPrivateNetworks"] = true;
                // A typed URL is treated like a source entry (the same network rule); a typed file is read as given.
                var loaded = AdHocSource.Parse(definition, Environment.CurrentDirectory, minInterval);
                if (!loaded.IsValid)
                {
                    await Console.Error.WriteLineAsync("Cannot preview:\n  - " + string.Join("\n  - ", loaded.Problems));
                    return 2;
                }
                catalog = loaded.Catalog!;
                source = catalog.Sources[0];
            }
            else
            {
                await Console.Error.WriteLineAsync("preview needs --source ID, or --url URL|FILE with --item and --title selectors.");
                return 2;
            }

            var reader = host.Services.GetRequiredService<ListingReader>();
            var read = await reader.ReadAsync(source, ConditionalValidators.None, knownKeys: null, cancellationToken);

            if (read.FirstPage.Outcome.Kind != OutcomeKind.Success)
            {
                await Console.Error.WriteLineAsync($"{source.Id}: {read.FirstPage.Outcome.Kind} {read.FirstPage.Outcome.Detail}");
                return 1;
            }

            var warnings = read.WarningsWithHints(source);
            if (result.GetValue(json))
            {
                Console.WriteLine(ItemJson.Serialize(read.Items));
                foreach (var warning in warnings) await Console.Error.WriteLineAsync("warning: " + warning);
            }
            else
            {
                PrintTable(read);
                foreach (var warning in warnings) Console.WriteLine("warning: " + warning);
            }

            if (result.GetValue(save) && result.GetValue(sourceId) is not null)
            {
                var fixture = await SourceFixture.WriteAsync(
                    catalog.Folder, source.Id, read.FirstPage.Body!, read.Items.Take(read.Pages[0].ItemCount), cancellationToken);
                await Console.Error.WriteLineAsync($"saved {fixture.Page} and {fixture.Expected}");
            }
            return read.Items.Count == 0 ? 1 : 0;
        });
        return command;
    }

    private static void PrintTable(ListingRead read)
    {
        Console.WriteLine($"{"#",3}  {"date",-10}  {"category",-16}  {"title",-60}  link");
        var n = 0;
        foreach (var item in read.Items)
        {
            n++;
            var date = item.Published?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "(none)";
            Console.WriteLine($"{n,3}  {date,-10}  {Cut(item.Category ?? "", 16),-16}  {Cut(item.Title, 60),-60}  {item.Link?.AbsoluteUri ?? "(none)"}");
        }
        Console.WriteLine($"{read.Items.Count} items from {read.Pages.Count} page(s)");
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
