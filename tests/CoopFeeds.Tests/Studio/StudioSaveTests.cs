using System.Net;
using System.Text.Json;
using CoopFeeds.Cli;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// Saving from the studio: the entry goes into the sources file the service runs on, validated as at start, with its
/// fixture beside it; an existing id is replaced only when asked; a file that cannot be edited safely is left alone.
/// </summary>
public sealed class StudioSaveTests
{
    private static readonly object ListingSource = new
    {
        Selectors = new { Item = "li.item", Title = "a", Link = "a@href", Date = "time@datetime", Summary = ".summary" },
    };

    [Fact]
    public async Task ASavedSourceIsInTheFileWithItsFixtureAndTheServiceLoadsItAndCheckFixturesPasses()
    {
        await using var site = await FaultSite.StartAsync();
        var page = FaultSite.Listing(5);
        site.Serve("/news", FaultSite.Html(page));
        await using var studio = await StudioHost.StartAsync([new SourceSpec("existing", site.Url("/old"))]);
        var before = await File.ReadAllTextAsync(studio.SourcesPath);
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var saved = await studio.PostJsonAsync("studio/api/sources",
            new { id = "coop-news", section = "coops", sectionTitle = "Cooperatives", url = site.Url("/news").AbsoluteUri, source = ListingSource, fetchId },
            HttpStatusCode.Created);

        Assert.Equal("coop-news", saved.GetProperty("id").GetString());
        Assert.Equal(["pages/coop-news.html", "pages/coop-news.expected.json"], saved.GetProperty("fixture").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(saved.GetProperty("warnings").EnumerateArray());
        var entry = saved.GetProperty("source");
        Assert.Equal(site.Url("/news").AbsoluteUri, entry.GetProperty("Url").GetString());
        // Reached through Studio:AllowPrivateNetworks, so ingestion must be allowed to reach it too.
        Assert.True(entry.GetProperty("AllowPrivateNetworks").GetBoolean());
        var backup = Assert.Single(Directory.GetFiles(studio.SourcesFolder, Path.GetFileName(studio.SourcesPath) + ".*.bak"));
        Assert.Equal(before, await File.ReadAllTextAsync(backup));
        Assert.Equal(page, await File.ReadAllTextAsync(Path.Combine(studio.SourcesFolder, "pages", "coop-news.html")));
        var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(studio.SourcesFolder, "pages", "coop-news.expected.json")));
        Assert.Equal(5, expected.RootElement.GetArrayLength());

        // The file is what the service loads on its next reload, and what `check --fixtures` passes.
        var catalogs = studio.Host.Services.GetRequiredService<SourceCatalogProvider>();
        Assert.True(catalogs.Reload().IsValid);
        var source = catalogs.Current.FindSource("coop-news");
        Assert.NotNull(source);
        Assert.Equal("Cooperatives", catalogs.Current.FindSection("coops")?.Title);
        Assert.NotNull(catalogs.Current.FindSource("existing"));
        var differences = await CheckCommand.CompareFixtureAsync(catalogs.Current, source, studio.Host.Services.GetRequiredService<ListingReader>(), CancellationToken.None);
        Assert.Empty(Assert.IsType<List<string>>(differences));

        var listed = await studio.GetJsonAsync("studio/api/sources/coop-news");
        Assert.Equal("li.item", listed.GetProperty("source").GetProperty("Selectors").GetProperty("Item").GetString());
    }

    [Fact]
    public async Task AnExistingIdIsReplacedOnlyWhenAskedAndARejectedEntryChangesNothing()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync([new SourceSpec("coop-news", site.Url("/news"))]);
        var before = await File.ReadAllTextAsync(studio.SourcesPath);
        var fetchId = await studio.FetchAsync(site.Url("/news"));
        var url = site.Url("/news").AbsoluteUri;

        var exists = await studio.PostJsonAsync("studio/api/sources", new { id = "coop-news", section = "faults", url, source = ListingSource, fetchId }, HttpStatusCode.Conflict);
        Assert.Equal(["a source 'coop-news' exists; set replace to replace it"], StudioHost.Problems(exists));
        var invalid = await studio.PostJsonAsync("studio/api/sources",
            new { id = "other", section = "nowhere", url, source = new { Selectors = new { Title = "a" }, MaxPages = 0 }, fetchId }, HttpStatusCode.BadRequest);
        Assert.True(StudioHost.Problems(invalid).Count() >= 2, string.Join("\n", StudioHost.Problems(invalid)));
        Assert.Equal(before, await File.ReadAllTextAsync(studio.SourcesPath));
        Assert.False(File.Exists(Path.Combine(studio.SourcesFolder, "pages", "other.html")));

        var replaced = await studio.PostJsonAsync("studio/api/sources",
            new { id = "coop-news", section = "faults", url, source = ListingSource, fetchId, replace = true }, HttpStatusCode.Created);
        Assert.Equal(".summary", replaced.GetProperty("source").GetProperty("Selectors").GetProperty("Summary").GetString());
        var catalogs = studio.Host.Services.GetRequiredService<SourceCatalogProvider>();
        Assert.True(catalogs.Reload().IsValid);
        Assert.Equal(".summary", Assert.Single(catalogs.Current.Sources).Definition.Selectors.Summary);
    }

    [Fact]
    public async Task AUrlOtherThanTheFetchedPagesIsRefused()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var refused = await studio.PostJsonAsync("studio/api/sources",
            new { id = "coop-news", section = "faults", url = site.Url("/other").AbsoluteUri, source = ListingSource, fetchId }, HttpStatusCode.BadRequest);

        Assert.Contains(StudioHost.Problems(refused), p => p.Contains("not the address of the fetched page"));
    }

    [Fact]
    public async Task AFileThatCannotBeEditedSafelyIsLeftAloneAndTheEntryIsGivenToPaste()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync();
        // Loadable (the first "Sources" counts), but which one an edit should go into is anyone's guess.
        var text = """{ "Sections": [ { "Slug": "faults", "Title": "Fault site" } ], "Sources": [], "Sources": [] }""";
        await File.WriteAllTextAsync(studio.SourcesPath, text);
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var refused = await studio.PostJsonAsync("studio/api/sources",
            new { id = "coop-news", section = "faults", url = site.Url("/news").AbsoluteUri, source = ListingSource, fetchId }, HttpStatusCode.UnprocessableEntity);

        Assert.Contains(StudioHost.Problems(refused), p => p.Contains("more than once"));
        using var json = JsonDocument.Parse(refused.GetProperty("json").GetString()!);
        Assert.Equal("coop-news", json.RootElement.GetProperty("Id").GetString());
        Assert.Equal(text, await File.ReadAllTextAsync(studio.SourcesPath));
    }

    [Fact]
    public async Task OnlyASourceThatNeedsPrivateNetworksIsSavedWithTheFlagAndARepairKeepsAFlagTheEntryHad()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        var port = site.BaseAddress.Port;
        var publicAddress = IPAddress.Parse("93.184.215.14");
        var names = new NamesResolver { ["lan.example"] = IPAddress.Loopback, ["news.example"] = IPAddress.Loopback, ["kept.example"] = IPAddress.Loopback };
        await using var studio = await StudioHost.StartAsync(
            [new SourceSpec("kept", $"http://kept.example:{port}/news") { AllowPrivateNetworks = true }],
            allowPrivateNetworks: true, services => services.AddSingleton<IHostResolver>(names));
        async Task<JsonElement> SaveAsync(string id, string host, bool replace = false)
        {
            var url = $"http://{host}:{port}/news";
            var fetchId = await studio.FetchAsync(new Uri(url));
            // From here the name is public: the save judges the address the name has when it is saved.
            if (host != "lan.example") names[host] = publicAddress;
            var saved = await studio.PostJsonAsync("studio/api/sources", new { id, section = "faults", url, source = ListingSource, fetchId, replace }, HttpStatusCode.Created);
            return saved.GetProperty("source");
        }

        Assert.True((await SaveAsync("lan-news", "lan.example")).GetProperty("AllowPrivateNetworks").GetBoolean());
        Assert.False((await SaveAsync("public-news", "news.example")).TryGetProperty("AllowPrivateNetworks", out _));
        Assert.True((await SaveAsync("kept", "kept.example", replace: true)).GetProperty("AllowPrivateNetworks").GetBoolean());
    }

    [Theory]
    [InlineData("windows-1252", "Coopérative")]
    [InlineData("iso-8859-2", "Spółdzielnia")]
    public async Task AFixtureOfAPageWhoseCharsetOnlyTheHeaderNamedReadsAsTheLivePageDid(string charset, string word)
    {
        await using var site = await FaultSite.StartAsync();
        var html = FaultSite.Listing(3).Replace("<meta charset=\"utf-8\">", "", StringComparison.Ordinal).Replace("News number", word + " number", StringComparison.Ordinal);
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        site.Serve("/news", FaultSite.Bytes(System.Text.Encoding.GetEncoding(charset).GetBytes(html), $"text/html; charset={charset}"));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        await studio.PostJsonAsync("studio/api/sources",
            new { id = "coop-news", section = "faults", url = site.Url("/news").AbsoluteUri, source = ListingSource, fetchId }, HttpStatusCode.Created);

        var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(studio.SourcesFolder, "pages", "coop-news.expected.json")));
        Assert.Equal($"{word} number 3", expected.RootElement[0].GetProperty("title").GetString());
        var catalogs = studio.Host.Services.GetRequiredService<SourceCatalogProvider>();
        Assert.True(catalogs.Reload().IsValid);
        var differences = await CheckCommand.CompareFixtureAsync(
            catalogs.Current, catalogs.Current.FindSource("coop-news")!, studio.Host.Services.GetRequiredService<ListingReader>(), CancellationToken.None);
        Assert.Empty(Assert.IsType<List<string>>(differences));
    }

    [Fact]
    public async Task AFixtureThatCannotBeWrittenIsAWarningOnASaveThatHappened()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync();
        // A file where the fixture's folder should be: the fixture cannot be written, the sources file can.
        await File.WriteAllTextAsync(Path.Combine(studio.SourcesFolder, "pages"), "not a folder");
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var saved = await studio.PostJsonAsync("studio/api/sources",
            new { id = "coop-news", section = "faults", url = site.Url("/news").AbsoluteUri, source = ListingSource, fetchId }, HttpStatusCode.Created);

        Assert.Empty(saved.GetProperty("fixture").EnumerateArray());
        Assert.Contains("fixture was not written", Assert.Single(saved.GetProperty("warnings").EnumerateArray()).GetString());
        Assert.Contains("\"coop-news\"", await File.ReadAllTextAsync(studio.SourcesPath));
    }

    /// <summary>Answers for the names it holds, as they are when asked; every other name does not resolve.</summary>
    private sealed class NamesResolver : Dictionary<string, IPAddress>, IHostResolver
    {
        public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
            Task.FromResult(TryGetValue(host, out var address) ? new[] { address } : []);
    }
}
