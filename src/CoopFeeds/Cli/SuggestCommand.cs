using System.CommandLine;
using System.Globalization;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Cli;

/// <summary>
/// <c>suggest</c>: fetch a listing page as a source would be fetched, and print the source definitions the suggestion engine
/// proposes for it, ranked, with their evidence and first items. The next page it proposes is fetched too, to verify it.
/// Exit 0 with candidates, 1 with none (a fetch failure or a page with no list is a problem), 2 on bad arguments.
/// </summary>
internal static class SuggestCommand
{
    private const int DefaultTop = 3;

    public static Command Create()
    {
        var url = new Option<string?>("--url") { Description = "The listing page: an http(s) URL or a saved HTML file" };
        var baseUrl = new Option<string?>("--base-url") { Description = "For a saved page: the address its links resolve against" };
        var top = new Option<string?>("--top") { Description = $"How many candidates to print (default {DefaultTop})" };
        var json = new Option<bool>("--json") { Description = "Print exactly one JSON object: url, feeds, problems, candidates" };
        var allowPrivateNetworks = new Option<bool>("--allow-private-networks")
        {
            Description = "Let a host name reach loopback and private addresses, as \"AllowPrivateNetworks\": true in the sources file",
        };

        var command = new Command("suggest", "Propose selectors for a listing page, proved by extracting with them")
        {
            url, baseUrl, top, json, allowPrivateNetworks,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, cancellationToken) =>
        {
            var asJson = result.GetValue(json);
            var problems = new List<string>();
            var target = result.GetValue(url);
            if (string.IsNullOrWhiteSpace(target)) problems.Add("suggest needs --url URL|FILE: the listing page to read");
            var count = DefaultTop;
            if (result.GetValue(top) is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
                problems.Add($"--top takes a whole number of candidates, at least 1 (got '{topText}')");
            Uri? address = null;
            if (result.GetValue(baseUrl) is { } baseText && (!Uri.TryCreate(baseText, UriKind.Absolute, out address) || address.Scheme is not ("http" or "https")))
                problems.Add($"--base-url must be an absolute http(s) URL (got '{UrlRedactor.RedactText(baseText)}')");
            var location = target is null ? null : LocationOf(target);
            if (target is not null && location is null)
                problems.Add($"--url must be an http(s) URL or a file (got '{UrlRedactor.RedactText(target)}')");
            if (problems.Count > 0)
            {
                await ReportAsync(asJson, target ?? "", problems);
                return 2;
            }

            using var host = CliHost.Create(null, null, CoopFeedsCommandLine.ConfigArgs(result));
            var reader = host.Services.GetRequiredService<ListingReader>();
            // A typed address is held to the network rule as a source entry with this URL would be; a typed file is read as given.
            var policy = new FetchPolicy(NetworkRule.ReachOf(location!, result.GetValue(allowPrivateNetworks)), RespectRobots: true, FileRoot: null);
            var read = await reader.SuggestAsync(location!, address, policy, count, firstPage: null, cancellationToken);
            if (read.Result is not { } suggestion)
            {
                var shown = location!.IsFile ? location.LocalPath : UrlRedactor.Redact(location);
                await ReportAsync(asJson, shown, [$"the page could not be read: {read.Failure}"]);
                return 1;
            }

            if (asJson) Console.WriteLine(SuggestionJson.Serialize(suggestion));
            else PrintReport(suggestion);
            return suggestion.Candidates.Count > 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>An http(s) URL as typed, or a file (a path, or a file: URI) made absolute; null for anything else.</summary>
    private static Uri? LocationOf(string target)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file") return uri;
        if (target.Contains("://", StringComparison.Ordinal)) return null;
        try
        {
            return new Uri(Path.GetFullPath(target));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    /// <summary>A failure before any candidate: with --json, still exactly one object on stdout; else the problems on stderr.</summary>
    private static async Task ReportAsync(bool asJson, string url, IReadOnlyList<string> problems)
    {
        if (asJson)
        {
            Console.WriteLine(SuggestionJson.Serialize(new SuggestionResult { Url = url, Feeds = [], Problems = problems, Candidates = [] }));
            return;
        }
        foreach (var problem in problems) await Console.Error.WriteLineAsync("suggest: " + problem);
    }

    private static void PrintReport(SuggestionResult suggestion)
    {
        Console.WriteLine($"Suggestions for {suggestion.Url}");
        foreach (var feed in suggestion.Feeds) Console.WriteLine($"  the page advertises a feed: {feed}");
        foreach (var problem in suggestion.Problems) Console.WriteLine($"  problem: {problem}");
        if (suggestion.Candidates.Count == 0) Console.WriteLine("No candidate.");

        var rank = 0;
        foreach (var candidate in suggestion.Candidates)
        {
            rank++;
            Console.WriteLine();
            Console.WriteLine($"#{rank}  score {candidate.Score.ToString("0.00", CultureInfo.InvariantCulture)}, {candidate.ItemCount} items");
            var selectors = candidate.Source.Selectors;
            foreach (var (name, value) in new[]
            {
                ("Item", selectors.Item), ("Title", selectors.Title), ("Link", selectors.Link), ("Date", selectors.Date),
                ("Summary", selectors.Summary), ("Category", selectors.Category), ("Group", selectors.Group), ("NextPage", selectors.NextPage),
            })
            {
                if (value is not null) Console.WriteLine($"    {name,-12}{value}");
            }
            if (candidate.Source.DateFormats is { } formats) Console.WriteLine($"    {"DateFormats",-12}{string.Join(", ", formats)}");
            if (candidate.Source.Cultures is { } cultures) Console.WriteLine($"    {"Cultures",-12}{string.Join(", ", cultures)}");
            if (candidate.Source.MaxPages is { } pages) Console.WriteLine($"    {"MaxPages",-12}{pages}");
            Console.WriteLine("  evidence:");
            foreach (var line in candidate.Evidence) Console.WriteLine($"    - {line}");
            Console.WriteLine($"  {"date",-10}  {"category",-16}  {"title",-60}  link");
            foreach (var item in candidate.Items)
            {
                var date = item.Date is null ? "(none)" : item.Date[..10];
                Console.WriteLine($"  {date,-10}  {Cut(item.Category ?? "", 16),-16}  {Cut(item.Title, 60),-60}  {item.Link ?? "(none)"}");
            }
        }
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
