using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoopFeeds.Tests.Cli;

/// <summary>The maintainers' verbs, run as the real executable on copies of the samples.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task BrokenSourcesFileStopsServeWithEveryProblemNamedAndNoStackTrace()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "sources.json")))!;
        var sources = file["Sources"]!.AsArray();
        sources[0]!["Section"] = "no-such-section";
        sources[1]!["Id"] = sources[2]!["Id"]!.GetValue<string>();
        sources[3]!["Selectors"]!["Title"] = "h3[[";
        sources[3]!["Cultures"] = new JsonArray("xx-NOPE-123");
        sources[4]!["Selectors"]!.AsObject().Remove("Item");
        sources[4]!["Url"] = "ftp://example.org/x";
        File.WriteAllText(Path.Combine(folder, "broken.json"), file.ToJsonString());

        var result = await CoopFeedsProcess.RunAsync(folder, "serve", "--sources", "broken.json", "--data", "data", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("source 'ilo-sse-resources': Section 'no-such-section' is not defined", result.StandardError);
        Assert.Contains("source 'ilo-coop-news-stories': Id is used by another source", result.StandardError);
        Assert.Contains("source 'ilo-newsroom-coop': Selectors.Title 'h3[['", result.StandardError);
        Assert.Contains("source 'ilo-newsroom-coop': Cultures has an unknown culture name 'xx-NOPE-123'", result.StandardError);
        Assert.Contains("source 'ilo-coop-resources': Selectors.Item is required", result.StandardError);
        Assert.Contains("source 'ilo-coop-resources': Url must be an http(s) URL or a file path", result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.False(Directory.Exists(Path.Combine(folder, "data")), "nothing may start before the file is valid");
    }

    [Fact]
    public async Task ServeOnAnAddressInUseSaysSoWithoutAStackTrace()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        holder.Start();
        var port = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var folder = CoopFeedsProcess.CopyOfSamples();

        var result = await CoopFeedsProcess.RunAsync(folder, "serve", "--sources", "sources.json", "--data", "data", "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"Cannot serve: Failed to bind to address http://127.0.0.1:{port}: address already in use.", result.StandardError);
        Assert.DoesNotContain("Unhandled exception", result.StandardError);
    }

    [Fact]
    public async Task AMistypedOptionIsRefusedWhileSettingsStillPass()
    {
        var page = Path.Combine(RepoPaths.Samples, "pages", "ilo-coop-resources.html");

        var mistyped = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--url", page, "--item", "article.listing-item", "--title", "h3", "--summery", ".x");
        var withSetting = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--url", new Uri(page).AbsoluteUri, "--item", "article.listing-item", "--title", "h3",
            "--Ingestion:UserAgent=CoopFeeds-test", "--Ingestion:MaxRedirects", "2", "--environment", "Development", "--AllowedHosts=*", "--json");

        Assert.Equal(2, mistyped.ExitCode);
        Assert.Contains("Unknown option '--summery'", mistyped.StandardError);
        Assert.Equal("", mistyped.StandardOutput);
        Assert.Equal(0, withSetting.ExitCode); // a file: URL names a saved page too
        Assert.Equal(10, JsonSerializer.Deserialize<JsonArray>(withSetting.StandardOutput)!.Count);
    }

    [Fact]
    public async Task PreviewOfAnUnreachableSiteSaysWhyInOneLineWithoutRetryLogs()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: every connection is refused

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--url", $"http://127.0.0.1:{port}/news.html", "--item", "article", "--title", "h2",
            "--Ingestion:RetryBaseDelay=00:00:00.010");

        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.True(result.StandardError.Trim().Split('\n').Length <= 2, result.StandardError);
    }

    [Fact]
    public async Task PreviewOfATooDeeplyNestedPageSaysSoInOneLine()
    {
        var folder = Directory.CreateTempSubdirectory("coopfeeds-cli-").FullName;
        File.WriteAllText(Path.Combine(folder, "deep.html"), "<!DOCTYPE html><body>" + string.Concat(Enumerable.Repeat("<div>", 100_000)));

        var result = await CoopFeedsProcess.RunAsync(folder, "preview", "--url", "deep.html", "--item", "li", "--title", "a");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("preview: TooDeeplyNested page too deeply nested", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreviewJsonPrintsOnlyTheItemArray()
    {
        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--sources", RepoPaths.SampleSources, "--source", "ilo-coop-publications", "--json");

        Assert.Equal(0, result.ExitCode);
        var items = JsonSerializer.Deserialize<JsonArray>(result.StandardOutput)!;
        var seed = SeedFile.ForSource("ilo-coop-publications");
        Assert.Equal(seed.Count, items.Count);
        foreach (var item in items.Select(i => i!.AsObject()))
        {
            Assert.Equal(["id", "title", "link", "date", "summary", "category"], item.Select(p => p.Key));
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T00:00:00\+00:00$", item["date"]!.GetValue<string>());
            Assert.StartsWith("https://www.ilo.org/", item["link"]!.GetValue<string>());
        }
        Assert.Equal(seed.Select(s => SeedFile.Collapse(s.Title)), items.Select(i => SeedFile.Collapse(i!["title"]!.GetValue<string>())));
    }

    [Fact]
    public async Task AdHocPreviewOfASavedPageShowsItsItemsAndWarnsAboutUnmatchedSelectors()
    {
        var page = Path.Combine(RepoPaths.Samples, "pages", "ilo-coop-resources.html");

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--url", page,
            "--item", "article.listing-item", "--title", "h3", "--date", ".listing-item__date",
            "--category", ".no-such-label", "--base-url", "https://www.ilo.org/global/topics/cooperatives/");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("10 items from 1 page(s)", result.StandardOutput);
        Assert.Contains("2019-12-17", result.StandardOutput);
        Assert.Contains("Selectors.Category '.no-such-label' matched nothing", result.StandardOutput);
    }

    [Fact]
    public async Task PreviewThatFindsNoItemsExitsNonZeroWithAHint()
    {
        var page = Path.Combine(RepoPaths.Samples, "pages", "ilo-coop-resources.html");

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "preview", "--url", page, "--item", "div.nothing-here", "--title", "h3");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("0 items", result.StandardOutput);
        Assert.Contains("hint: Selectors.Item 'div.nothing-here' matched 0 element(s)", result.StandardOutput);
    }

    [Fact]
    public async Task CheckFixturesPassesOnTheSamplesAndShowsADiffWhenAPageChanges()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();
        var clean = await CoopFeedsProcess.RunAsync(folder, "check", "--sources", "sources.json", "--fixtures");
        Assert.Equal(0, clean.ExitCode);
        Assert.Equal(5, clean.StandardOutput.Split('\n').Count(l => l.EndsWith(": fixture OK", StringComparison.Ordinal)));

        // The CMS renames a class and edits one title: the check names both changes.
        var page = Path.Combine(folder, "pages", "ilo-coop-resources.html");
        var html = File.ReadAllText(page)
            .Replace("Honey and cheese cooperatives created", "Honey and cheese co-operatives created", StringComparison.Ordinal);
        File.WriteAllText(page, html);
        var labels = Path.Combine(folder, "pages", "ilo-newsroom-coop.html");
        File.WriteAllText(labels, File.ReadAllText(labels).Replace("listing-item__label", "badge", StringComparison.Ordinal));

        var changed = await CoopFeedsProcess.RunAsync(folder, "check", "--sources", "sources.json", "--fixtures");

        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("ilo-coop-resources: fixture differs", changed.StandardOutput);
        Assert.Contains("title was \"Honey and cheese cooperatives created", changed.StandardOutput);
        Assert.Contains("ilo-newsroom-coop: fixture differs", changed.StandardOutput);
        Assert.Contains("category was \"News\", now null", changed.StandardOutput);
    }

    [Fact]
    public async Task CheckListsEveryProblemOfABadFile()
    {
        var folder = Directory.CreateTempSubdirectory("coopfeeds-cli-").FullName;
        File.WriteAllText(Path.Combine(folder, "sources.json"), """
            { "Sections": [ { "Slug": "all", "Title": "" } ],
              "Sources": [ { "Id": "a", "Section": "all", "Url": "missing.html", "Interval": "soon", "Selectors": { "Item": "li" } } ] }
            """);

        var result = await CoopFeedsProcess.RunAsync(folder, "check", "--sources", "sources.json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Slug 'all' is reserved", result.StandardOutput);
        Assert.Contains("Title is required", result.StandardOutput);
        Assert.Contains("source 'a': Interval: expected a duration such as \"01:00:00\"", result.StandardOutput);
    }

    [Fact]
    public async Task IngestPrintsASummaryLinePerSourceAndPurgeSaysHowManyItWentThrough()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();

        var ingest = await CoopFeedsProcess.RunAsync(folder, "ingest", "--sources", "sources.json", "--data", "data");
        var again = await CoopFeedsProcess.RunAsync(folder, "ingest", "--sources", "sources.json", "--data", "data", "--source", "ilo-coop-resources");
        var purge = await CoopFeedsProcess.RunAsync(folder, "purge", "--sources", "sources.json", "--data", "data", "--source", "ilo-coop-resources");

        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains("ilo-coop-resources: Success, 10 found, 10 new, 0 updated, 0 errors", ingest.StandardOutput);
        Assert.Equal(5, ingest.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("ilo-coop-resources: Success, 10 found, 0 new, 0 updated, 0 errors", again.StandardOutput);
        Assert.Equal(0, purge.ExitCode);
        Assert.Contains("ilo-coop-resources: removed 10 items", purge.StandardOutput);
    }

    [Fact]
    public async Task IngestSkipsASourceAnotherProcessIsRunningAndRunsTheRest()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();
        var data = Directory.CreateDirectory(Path.Combine(folder, "data")).FullName;
        var store = Storage.Sqlite.SqliteItemStore.ForFile(Path.Combine(data, "coopfeeds.db"));
        await store.MigrateAsync(CancellationToken.None);
        // A serve on the same file is running this source now.
        var lease = await store.TryLeaseAsync(new Storage.LeaseRequest
        {
            SourceId = "ilo-coop-resources", Holder = "serve-host:7:1a2b3c4d", Now = DateTimeOffset.UtcNow, Duration = TimeSpan.FromMinutes(10),
        }, CancellationToken.None);
        Assert.True(lease.Granted);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var ingest = await CoopFeedsProcess.RunAsync(folder, "ingest", "--sources", "sources.json", "--data", "data");

        Assert.Equal(0, ingest.ExitCode);
        Assert.Contains($"ilo-coop-resources: skipped, being ingested by serve-host:7:1a2b3c4d (its lease ends at {lease.Until:u})", ingest.StandardOutput);
        Assert.Contains("ilo-coop-publications: Success", ingest.StandardOutput);
        Assert.Null(await store.GetSourceStateAsync("ilo-coop-resources", CancellationToken.None));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task IngestPreviewAndCheckNeverPrintTheCredentialsOfASourceUrl()
    {
        await using var site = await Ingestion.FaultSite.StartAsync(); // answers 404 to every listing
        var url = $"http://reader:s3cret@{site.BaseAddress.Authority}/missing?token=t0k3n";
        var folder = Directory.CreateTempSubdirectory("coopfeeds-cli-").FullName;
        File.WriteAllText(Path.Combine(folder, "sources.json"), $$"""
            { "Sections": [ { "Slug": "news", "Title": "News" } ],
              "Sources": [ { "Id": "a", "Section": "news", "Url": "{{url}}", "Selectors": { "Item": "li", "Title": "a" } } ] }
            """);
        File.WriteAllText(Path.Combine(folder, "broken.json"), """
            { "Sections": [ { "Slug": "news", "Title": "News" } ],
              "Sources": [ { "Id": "a", "Section": "news", "Url": "ftp://reader:s3cret@files.example.coop/?token=t0k3n", "Selectors": { "Item": "li", "Title": "a" } } ] }
            """);

        ProcessResult[] results =
        [
            await CoopFeedsProcess.RunAsync(folder, "ingest", "--sources", "sources.json", "--data", "data"),
            await CoopFeedsProcess.RunAsync(folder, "preview", "--sources", "sources.json", "--source", "a"),
            await CoopFeedsProcess.RunAsync(folder, "preview", "--url", url, "--item", "li", "--title", "a"),
            await CoopFeedsProcess.RunAsync(folder, "check", "--sources", "broken.json"),
        ];

        Assert.Contains("a: NotFound", results[0].StandardOutput);
        Assert.Contains("http://***@", results[1].StandardError);
        Assert.All(results, r =>
        {
            Assert.NotEqual(0, r.ExitCode);
            var output = r.StandardOutput + r.StandardError;
            Assert.DoesNotContain("s3cret", output);
            Assert.DoesNotContain("t0k3n", output);
        });
    }
}
