using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CoopFeeds.Tests.Cli;
using CoopFeeds.Tests.Ingestion;
using CoopFeeds.Tests.Postgres;
using CoopFeeds.Tests.Studio;

namespace CoopFeeds.Tests.NativeBuild;

/// <summary>
/// The natively compiled service (<see cref="NativeExecutable"/>) against the build on the .NET runtime that every other
/// test runs: trimming and ahead-of-time compilation drop what reflection alone reaches, so a part that works in one may
/// throw in the other. Both are started on the bundled samples as separate processes, and each answers for itself.
/// </summary>
public sealed partial class NativeBuildTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private static readonly string[] Settings =
    [
        // The same links in both, whatever port each listens on.
        "--Publishing:PublicBaseUrl=http://feeds.test/",
        "--Ingestion:PerHostDelay=00:00:00",
    ];

    /// <summary>
    /// Each build ingests the samples into its own store, and each section's documents must be the same bytes. The
    /// documents that mix sources (<c>all</c>, OPML, the index, the source lists) depend on the order the sources' runs
    /// happened to save in, which concurrent runs leave to chance: an item id two sources share is shown as the copy stored
    /// first. So the native build then serves the runtime build's store as well, and every document must be its bytes.
    /// </summary>
    [SkippableFact]
    public async Task EveryDocumentIsTheOneTheRuntimeBuildServesForTheSameSources()
    {
        var native = NativeExecutable.Path;
        var started = DateTimeOffset.UtcNow;
        var samples = CoopFeedsProcess.CopyOfSamples();
        var (sections, sources) = SampleIds(Path.Combine(samples, "sources.json"));
        var ownSections = new List<string>();
        foreach (var section in sections)
            ownSections.AddRange([$"feeds/{section}.rss", $"feeds/{section}.atom", $"feeds/{section}.json", $"sections/{section}"]);
        ownSections.AddRange(sources.Select(id => $"api/sources/{id}"));
        List<string> paths = [.. ownSections, "feeds/all.rss", "feeds/all.atom", "feeds/all.json", "feeds.opml", "", "sources", "sources.atom", "api/sources",
            "feeds/all.rss?q=cooperative", "feeds/all/archive/1.rss", "feeds/no-such-section.rss", "api/sources/no-such-source"];
        var runtimeStore = Directory.CreateTempSubdirectory("coopfeeds-native-").FullName;
        var nativeStore = Directory.CreateTempSubdirectory("coopfeeds-native-").FullName;
        try
        {
            var expected = await ServeAsync(executable: null, samples, runtimeStore, paths, Settings);
            var ingested = await ServeAsync(native, samples, nativeStore, ownSections, Settings);
            var served = await ServeAsync(native, samples, CopyOf(runtimeStore, nativeStore), paths, Settings);

            var window = (From: started.AddMinutes(-1), To: DateTimeOffset.UtcNow.AddHours(3));
            void AssertSame(Dictionary<string, Answer> actual, string path)
            {
                Assert.Equal((expected[path].Status, expected[path].ContentType), (actual[path].Status, actual[path].ContentType));
                Assert.Equal(WithoutRunTimes(expected[path].Body, window), WithoutRunTimes(actual[path].Body, window));
            }
            Assert.All(ownSections, path => AssertSame(ingested, path));
            Assert.All(paths, path => AssertSame(served, path));
            // Not an empty comparison: the feeds carry the samples' items.
            Assert.All(sections, section => Assert.Contains("<item>", ingested[$"feeds/{section}.rss"].Body, StringComparison.Ordinal));
            Assert.Contains("<item>", served["feeds/all.rss"].Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, served["feeds/no-such-section.rss"].Status);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(runtimeStore, recursive: true);
            Directory.Delete(nativeStore, recursive: true);
        }
    }

    /// <summary>Replaces the files of <paramref name="target"/> with those of <paramref name="source"/>, a stopped service's data folder.</summary>
    private static string CopyOf(string source, string target)
    {
        Directory.Delete(target, recursive: true);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    [SkippableFact]
    public async Task TheCommandsPrintWhatTheRuntimeBuildPrints()
    {
        var native = NativeExecutable.Path;
        var samples = CoopFeedsProcess.CopyOfSamples();
        var sourcesFile = Path.Combine(samples, "sources.json");
        var page = Directory.GetFiles(Path.Combine(samples, "pages"), "*.html").Order(StringComparer.Ordinal).First();
        var (_, sources) = SampleIds(sourcesFile);
        string[][] commands =
        [
            ["check", "--sources", sourcesFile, "--fixtures"],
            ["preview", "--sources", sourcesFile, "--source", sources[0], "--json"],
            ["suggest", "--url", page, "--base-url", "https://www.ilo.org/", "--json"],
            ["check", "--sources", Path.Combine(samples, "pages", "missing.json")],
        ];

        foreach (var command in commands)
        {
            var expected = await CoopFeedsProcess.RunExecutableAsync(executable: null, samples, command);
            var actual = await CoopFeedsProcess.RunExecutableAsync(native, samples, command);

            Assert.Equal((expected.ExitCode, expected.StandardOutput), (actual.ExitCode, actual.StandardOutput));
            Assert.Equal(expected.StandardError, actual.StandardError);
        }

        var suggestion = await CoopFeedsProcess.RunExecutableAsync(native, samples, commands[2]);
        Assert.NotEmpty(JsonDocument.Parse(suggestion.StandardOutput).RootElement.GetProperty("candidates").EnumerateArray());
    }

    [SkippableFact]
    public async Task TheStudioPreviewsAndSavesAsTheRuntimeBuildDoes()
    {
        var native = NativeExecutable.Path;
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(File.ReadAllText(Path.Combine(RepoPaths.Samples, "pages", "ilo-newsroom-coop.html"))));
        var sample = JsonNode.Parse(File.ReadAllText(RepoPaths.SampleSources), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!
            ["Sources"]!.AsArray().Single(s => (string?)s!["Id"] == "ilo-newsroom-coop")!;
        string Form() => new JsonObject { ["Selectors"] = sample["Selectors"]!.DeepClone(), ["DateFormats"] = sample["DateFormats"]!.DeepClone(), ["Cultures"] = sample["Cultures"]!.DeepClone() }.ToJsonString();
        var url = site.Url("/news").AbsoluteUri;
        var preview = $$"""{"url":"{{url}}","source":{{Form()}}}""";
        var save = $$"""{"id":"native-check","section":"news","url":"{{url}}","source":{{Form()}}}""";

        async Task<(Answer Preview, Answer Save, string SourcesFile)> AskAsync(string? executable)
        {
            var samples = CoopFeedsProcess.CopyOfSamples();
            var data = Directory.CreateTempSubdirectory("coopfeeds-native-").FullName;
            try
            {
                await using var serve = await ServeProcess.StartAsync(Path.Combine(samples, "sources.json"), data, [.. Settings, .. StudioService.Settings], waitForAddress: true, executable);
                serve.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StudioService.Token);
                async Task<Answer> PostAsync(string path, string body)
                {
                    using var response = await serve.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
                    return new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
                }
                return (await PostAsync("studio/api/preview", preview), await PostAsync("studio/api/sources", save), File.ReadAllText(Path.Combine(samples, "sources.json")));
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(data, recursive: true);
                Directory.Delete(samples, recursive: true);
            }
        }

        var expected = await AskAsync(executable: null);
        var actual = await AskAsync(native);

        Assert.Equal(expected, actual);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Created), (actual.Preview.Status, actual.Save.Status));
        Assert.Equal(10, JsonDocument.Parse(actual.Preview.Body).RootElement.GetProperty("items").GetArrayLength());
        Assert.Contains("\"native-check\"", actual.SourcesFile, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task OnPostgreSqlItServesTheFeedsItStoredThere()
    {
        var native = NativeExecutable.Path;
        await using var database = await SharedDatabase.CreateAsync();
        var samples = CoopFeedsProcess.CopyOfSamples();
        var (sections, _) = SampleIds(Path.Combine(samples, "sources.json"));
        var paths = sections.Select(section => $"feeds/{section}.json").ToList();

        var served = await ServeAsync(native, samples, paths, [.. Settings, .. database.Settings]);

        var stored = await database.QueryAsync("SELECT count(*) FROM items");
        Assert.All(paths, path =>
        {
            Assert.Equal(HttpStatusCode.OK, served[path].Status);
            Assert.NotEmpty(JsonDocument.Parse(served[path].Body).RootElement.GetProperty("items").EnumerateArray());
        });
        Assert.True(int.Parse(stored.Single(), CultureInfo.InvariantCulture) > 0);
    }

    private sealed record Answer(HttpStatusCode Status, string? ContentType, string Body);

    /// <summary>Starts <c>serve</c> on its own data folder, waits until its first pass is done, asks for each path, stops it.</summary>
    private static async Task<Dictionary<string, Answer>> ServeAsync(string? executable, string samples, IEnumerable<string> paths, string[] settings)
    {
        var data = Directory.CreateTempSubdirectory("coopfeeds-native-").FullName;
        try
        {
            return await ServeAsync(executable, samples, data, paths, settings);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Starts <c>serve</c> on <paramref name="data"/>, waits until it is ready, asks for each path, stops it.</summary>
    private static async Task<Dictionary<string, Answer>> ServeAsync(string? executable, string samples, string data, IEnumerable<string> paths, string[] settings)
    {
        await using var serve = await ServeProcess.StartAsync(Path.Combine(samples, "sources.json"), data, settings, waitForAddress: true, executable);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        var deadline = Stopwatch.StartNew();
        while ((await serve.Client.GetAsync("readyz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.False(serve.HasExited, $"serve stopped: {(serve.HasExited ? await serve.Errors : "")}");
            Assert.True(deadline.Elapsed < Deadline, "serve did not finish its first pass in time");
            await poll.WaitForNextTickAsync();
        }

        var answers = new Dictionary<string, Answer>();
        foreach (var path in paths)
        {
            using var response = await serve.Client.GetAsync(path);
            answers[path] = new Answer(response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
        }
        Assert.False(serve.HasExited, "serve stopped while answering");
        return answers;
    }

    /// <summary>
    /// The document with the times of this run masked (when a source ran, when a section last changed, when it runs next):
    /// the two processes ran at different moments. The items' own dates are years older and stay.
    /// </summary>
    private static string WithoutRunTimes(string body, (DateTimeOffset From, DateTimeOffset To) window) =>
        Timestamp().Replace(body, match =>
        {
            var text = match.Value.Replace(" UTC", "Z", StringComparison.Ordinal).Replace(" GMT", " +0000", StringComparison.Ordinal).Replace(" Z", " +0000", StringComparison.Ordinal);
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && time >= window.From && time <= window.To
                ? "(this run)"
                : match.Value;
        });

    /// <summary>ISO 8601 (JSON, Atom, HTML datetime), the pages' "yyyy-MM-dd HH:mm UTC", and RFC 822/1123 (RSS, OPML).</summary>
    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)|\d{4}-\d\d-\d\d \d\d:\d\d UTC|[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d (GMT|Z|[+-]\d{4})")]
    private static partial Regex Timestamp();

    private static (List<string> Sections, List<string> Sources) SampleIds(string sourcesFile)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(sourcesFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return (
            [.. json.RootElement.GetProperty("Sections").EnumerateArray().Select(s => s.GetProperty("Slug").GetString()!)],
            [.. json.RootElement.GetProperty("Sources").EnumerateArray().Select(s => s.GetProperty("Id").GetString()!)]);
    }
}
