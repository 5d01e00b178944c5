using System.Text.Json;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Storage;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// Text written to break out of an element — a section title from the sources file, an item's title and summary from a
/// listing page, a site's error text — is shown encoded on every HTML page, never as markup.
/// </summary>
public sealed class HostileTextPagesTests
{
    private const string Hostile = "</title><script>alert(1)</script><b title=\"x\">";

    /// <summary>How the pages write <see cref="Hostile"/>: every angle bracket and quote encoded.</summary>
    private const string Encoded = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;b title=&quot;x&quot;&gt;";

    [Fact]
    public async Task TheIndexShowsAHostileSectionTitleEncoded()
    {
        await using var file = HostileSources.Write();
        await using var host = await file.StartAsync();

        var html = await host.Client.GetStringAsync("");

        AssertNoMarkupFromText(html);
        Assert.Contains($"title=\"{Encoded} (RSS)\"", html, StringComparison.Ordinal);
        Assert.Contains($"/sections/hostile\">{Encoded}</a></td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSectionPageShowsAHostileSectionTitleItemTitleAndSummaryEncoded()
    {
        await using var file = HostileSources.Write();
        await using var host = await file.StartAsync();
        var report = await host.RunAsync("hostile-page");

        var html = await host.Client.GetStringAsync("sections/hostile");

        Assert.Equal(1, report.Saved.New + report.Saved.Unchanged);
        AssertNoMarkupFromText(html);
        Assert.Contains($"<title>{Encoded} &#xB7; CoopFeeds</title>", html, StringComparison.Ordinal);
        Assert.Contains($"<h1>{Encoded}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($">{Encoded} item</a></h2>", html, StringComparison.Ordinal);
        Assert.Contains($"<p>{Encoded} summary</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHostileErrorTextIsEncodedOnTheSourcesPage()
    {
        await using var file = HostileSources.Write();
        await using var host = await file.StartAsync();
        // What a site's own words become on the page: the stored error of a run (its detail carries the HTTP reason phrase).
        // Stored for a source no longer in the file, so no run of the service's own replaces it.
        await host.Services.GetRequiredService<IItemStore>().SaveAsync(new SourceRun("gone", "hostile"), [], new IngestOutcome
        {
            Fetch = new() { Kind = OutcomeKind.ServerError, StatusCode = 502, Detail = $"HTTP 502 {Hostile}" },
            AttemptedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);

        var html = await host.Client.GetStringAsync("sources");

        AssertNoMarkupFromText(html);
        Assert.Contains($"<tr class=\"removed\" id=\"gone\">", html, StringComparison.Ordinal);
        Assert.Contains($"<td>HTTP 502 {Encoded}</td>", html, StringComparison.Ordinal);
    }

    /// <summary>No element the text names, and one title element: the page's own.</summary>
    private static void AssertNoMarkupFromText(string html)
    {
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b ", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("</title>").Length - 1);
    }

    /// <summary>One section titled <see cref="Hostile"/> and one saved page whose item says it in its title and summary.</summary>
    private sealed class HostileSources : IAsyncDisposable
    {
        private readonly string _folder;

        private HostileSources(string folder) => _folder = folder;

        private string SourcesPath => Path.Combine(_folder, "sources.json");

        public static HostileSources Write()
        {
            var folder = Directory.CreateTempSubdirectory("coopfeeds-hostile-").FullName;
            var text = System.Net.WebUtility.HtmlEncode(Hostile);
            File.WriteAllText(Path.Combine(folder, "hostile.html"),
                $"<!DOCTYPE html><html><body><ul><li class=\"item\"><a href=\"/news/1\">{text} item</a>"
                + $"<time datetime=\"2025-01-02\">2 January 2025</time><p class=\"summary\">{text} summary</p></li></ul></body></html>");
            File.WriteAllText(Path.Combine(folder, "sources.json"), JsonSerializer.Serialize(new
            {
                Sections = new[] { new { Slug = "hostile", Title = Hostile, Description = Hostile } },
                Sources = new[]
                {
                    new
                    {
                        Id = "hostile-page", Section = "hostile", Url = "hostile.html", BaseUrl = "https://saved.example/",
                        Selectors = FaultSources.DefaultSelectors,
                    },
                },
            }));
            return new HostileSources(folder);
        }

        public Task<ServiceHost> StartAsync() => ServiceHost.StartAsync(SourcesPath, FaultSources.FastSettings);

        public ValueTask DisposeAsync()
        {
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
            return ValueTask.CompletedTask;
        }
    }
}
