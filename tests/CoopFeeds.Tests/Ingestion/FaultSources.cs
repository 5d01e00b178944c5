using System.Text.Json;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using CoopFeeds.Telemetry;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>A sources file in a temporary folder whose sources read <see cref="FaultSite.Listing"/> pages, and the service on it.</summary>
internal sealed class FaultSources : IAsyncDisposable
{
    /// <summary>
    /// Small timeouts and no politeness delay, so the fault tests stay fast; no jitter, so due times are exact. The tests
    /// run one site's sources back to back as if an interval apart, which the circuit breaker (counting within minutes)
    /// would take for a site that is down: it is kept shut here and tested with its shipped settings in
    /// <see cref="CircuitBreakerTests"/>.
    /// </summary>
    public static readonly string[] FastSettings =
    [
        "--Ingestion:CircuitMinimumThroughput=10000",
        "--Ingestion:RequestTimeout=00:00:01",
        "--Ingestion:MaxRetries=2",
        "--Ingestion:RetryBaseDelay=00:00:00.010",
        "--Ingestion:PerHostDelay=00:00:00",
        "--Ingestion:IntervalJitter=0",
        "--Ingestion:MaxBodyBytes=65536",
        "--Ingestion:ContactUrl=https://coopfeeds.example/contact",
    ];

    /// <summary>The selectors that read <see cref="FaultSite.Listing"/> pages whole.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultSelectors = new Dictionary<string, string>
    {
        ["Item"] = "li.item", ["Title"] = "a", ["Link"] = "a@href", ["Date"] = "time@datetime", ["Summary"] = ".summary",
    };

    private readonly string _folder;

    private FaultSources(string folder, string path)
    {
        _folder = folder;
        Path = path;
    }

    public string Path { get; }

    public string Folder => _folder;

    /// <summary>Writes a saved page beside the sources file; its Url in a <see cref="SourceSpec"/> is the file name.</summary>
    public void WritePage(string name, string html) => File.WriteAllText(System.IO.Path.Combine(_folder, name), html);

    public static FaultSources Write(params SourceSpec[] sources)
    {
        var folder = Directory.CreateTempSubdirectory("coopfeeds-faults-").FullName;
        var path = System.IO.Path.Combine(folder, "sources.json");
        var file = new FaultSources(folder, path);
        file.Rewrite(sources);
        return file;
    }

    public void Rewrite(params SourceSpec[] sources)
    {
        var document = new
        {
            Sections = new[] { new { Slug = "faults", Title = "Fault site", Description = "Pages that misbehave", Language = "en" } },
            Sources = sources.Select(s => new Dictionary<string, object?>
            {
                ["Id"] = s.Id,
                ["Section"] = "faults",
                ["Url"] = s.Url,
                ["Interval"] = s.Interval ?? "01:00:00",
                ["RespectRobots"] = s.RespectRobots,
                ["AllowPrivateNetworks"] = s.AllowPrivateNetworks,
                ["Enabled"] = s.Enabled,
                ["BaseUrl"] = s.BaseUrl ?? (Uri.TryCreate(s.Url, UriKind.Absolute, out var u) && !u.IsFile ? null! : "https://saved.example/"),
                ["Selectors"] = s.Selectors ?? DefaultSelectors,
            }),
        };
        File.WriteAllText(Path, JsonSerializer.Serialize(document, new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        }));
    }

    public Task<ServiceHost> StartServiceAsync(params string[] more) => ServiceHost.StartAsync(Path, [.. FastSettings, .. more]);

    /// <summary>As <see cref="StartServiceAsync(string[])"/>, with <paramref name="replaceServices"/> registered last.</summary>
    public Task<ServiceHost> StartServiceAsync(Action<IServiceCollection> replaceServices, params string[] more) =>
        ServiceHost.StartWithServicesAsync(replaceServices, Path, [.. FastSettings, .. more]);

    public ValueTask DisposeAsync()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }
}

internal sealed record SourceSpec(string Id, string Url, bool RespectRobots = true, bool Enabled = true, string? Interval = null, string? BaseUrl = null)
{
    /// <summary>Null: <see cref="FaultSources.DefaultSelectors"/>.</summary>
    public IReadOnlyDictionary<string, string>? Selectors { get; init; }

    public bool AllowPrivateNetworks { get; init; }

    public SourceSpec(string id, Uri url, bool respectRobots = true) : this(id, url.AbsoluteUri, respectRobots) { }
}

internal static class ServiceHostIngestion
{
    /// <summary>One more run of a source, as the scheduler would start it when due ("one interval later").</summary>
    public static Task<IngestReport> RunAsync(this ServiceHost host, string sourceId)
    {
        var source = host.Services.GetRequiredService<SourceCatalogProvider>().Current.FindSource(sourceId)
            ?? throw new InvalidOperationException($"no source {sourceId}");
        return host.Services.GetRequiredService<SourceIngester>().IngestAsync(source, leaseHolder: null, CancellationToken.None);
    }

    /// <summary>
    /// Rewrites the sources file with <paramref name="sources"/>, reloads it as the watcher would, and waits (on a signal)
    /// for the scheduler to finish its rerun of the edited source.
    /// </summary>
    public static async Task EditAsync(this ServiceHost host, FaultSources file, params SourceSpec[] sources)
    {
        var rerun = host.Services.GetRequiredService<IngestionActivity>().WhenNextRunsCompletedAsync(1);
        file.Rewrite(sources);
        Assert.True(host.Services.GetRequiredService<SourceCatalogProvider>().Reload().IsValid);
        await rerun.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public static async Task<JsonElement> StatusAsync(this ServiceHost host, string sourceId)
    {
        using var document = JsonDocument.Parse(await host.Client.GetStringAsync("api/sources"));
        return document.RootElement.EnumerateArray().Single(s => s.GetProperty("id").GetString() == sourceId).Clone();
    }

    /// <summary>The item ids of the section's JSON feed, in feed order.</summary>
    public static async Task<IReadOnlyList<(string Id, string Title)>> FeedItemsAsync(this ServiceHost host, string section = "faults")
    {
        using var response = await host.Client.GetAsync($"feeds/{section}.json?limit=500");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("id").GetString()!, i.GetProperty("title").GetString()!))];
    }
}
