using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Xml.Linq;
using CoopFeeds.Fetching;
using CoopFeeds.Status;
using CoopFeeds.Storage;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>What maintainers read: the JSON and HTML status, the state-change feed and the metrics.</summary>
public sealed class StatusEndpointTests
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task TheStatusListsEverySourceWithItsStateAndDisabledOnesToo()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/ok", FaultSite.Html(FaultSite.Listing(2)));
        site.Serve("/down", FaultSite.Status(502));
        await using var file = FaultSources.Write(
            new SourceSpec("ok", site.Url("/ok")),
            new SourceSpec("down", site.Url("/down")),
            new SourceSpec("off", site.Url("/ok").AbsoluteUri, Enabled: false));

        await using var host = await file.StartServiceAsync();

        using var json = JsonDocument.Parse(await host.Client.GetStringAsync("api/sources"));
        var states = json.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("state").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["down"] = "failing", ["off"] = "disabled", ["ok"] = "healthy" }, states);
        var ok = await host.StatusAsync("ok");
        Assert.Equal(2, ok.GetProperty("itemsFound").GetInt32());
        Assert.Equal(2, ok.GetProperty("itemsNew").GetInt32());
        Assert.Equal(200, ok.GetProperty("lastHttpStatus").GetInt32());
        Assert.True(ok.GetProperty("nextAttemptAt").GetDateTimeOffset() > ok.GetProperty("lastAttemptAt").GetDateTimeOffset());
        Assert.True(ok.GetProperty("respectRobots").GetBoolean());

        using var page = await host.Client.GetAsync("sources");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType?.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<tr class=\"failing\" id=\"down\">", html);
        Assert.Contains("HTTP 502", html);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("api/sources/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/sources/down")).StatusCode);
    }

    [Fact]
    public async Task TheStatusJsonIsWhatReflectionWroteWithTheEndpointsOptions()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/ok", FaultSite.Html(FaultSite.Listing(2)));
        site.Serve("/down", FaultSite.Status(502));
        await using var file = FaultSources.Write(
            new SourceSpec("ok", site.Url("/ok")),
            new SourceSpec("down", site.Url("/down")),
            new SourceSpec("off", site.Url("/ok").AbsoluteUri, Enabled: false));
        await using var host = await file.StartServiceAsync();

        var list = await host.Client.GetStringAsync("api/sources");
        var down = await host.Client.GetStringAsync("api/sources/down");

        // As the endpoints wrote it before the generated contracts: reflection, the HTTP JSON options, an anonymous type.
        var byReflection = new JsonSerializerOptions(host.Services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        var statuses = await host.Services.GetRequiredService<SourceStatusReader>().ReadAsync(CancellationToken.None);
        var changes = await host.Services.GetRequiredService<IItemStore>().GetSourceStateChangesAsync("down", 20, CancellationToken.None);
        Assert.Equal(3, statuses.Count);
        Assert.NotEmpty(changes);
        Assert.Equal(JsonSerializer.Serialize(statuses, byReflection), list);
        Assert.Equal(JsonSerializer.Serialize(new { source = statuses.Single(s => s.Id == "down"), changes }, byReflection), down);
    }

    [Fact]
    public async Task TheStatusFeedHasOneStableEntryPerChangeAndAnswers304()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Status(500));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();
        await host.RunAsync("news"); // still failing: no new entry
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(1)));
        await host.RunAsync("news");

        using var response = await host.Client.GetAsync("sources.atom");
        Assert.Equal("application/atom+xml; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var first = await response.Content.ReadAsStringAsync();
        var entries = XDocument.Parse(first).Root!.Elements(Atom + "entry").ToList();
        Assert.Equal(["news recovered", "news is failing: ServerError (HTTP 500)"], entries.Select(e => e.Element(Atom + "title")!.Value));
        Assert.Equal(first, await host.Client.GetStringAsync("sources.atom"));

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "sources.atom");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await host.Client.SendAsync(conditional)).StatusCode);
    }

    [Fact]
    public async Task TheStatusFeedIsServedWithTheFeedsCachingHeadersAndWeakListsRevalidate()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Status(500));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();

        using var response = await host.Client.GetAsync("sources.atom");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromMinutes(1), response.Headers.CacheControl.MaxAge);
        var changedAt = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element(Atom + "updated")!.Value;
        Assert.Equal(DateTimeOffset.Parse(changedAt, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds(),
            response.Content.Headers.LastModified!.Value.ToUnixTimeSeconds());
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));

        // RFC 9110 §13.1.2: If-None-Match compares weakly and may list several tags.
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "sources.atom");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", W/{response.Headers.ETag!.Tag}");
        using var revalidated = await host.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Equal(response.Headers.ETag, revalidated.Headers.ETag);
    }

    [Fact]
    public async Task TheStatusFeedWithNoChangesCarriesAPlausibleDate()
    {
        // The samples are saved pages: every source is healthy from its first run, which is no change.
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync("sources.atom");
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;

        Assert.Empty(feed.Elements(Atom + "entry"));
        Assert.Equal("2000-01-01T00:00:00Z", feed.Element(Atom + "updated")!.Value);
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), response.Content.Headers.LastModified);
    }

    [Fact]
    public async Task MetricsAreExportedInPrometheusTextFormat()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var file = FaultSources.Write(new SourceSpec("news", site.Url("/news")));
        await using var host = await file.StartServiceAsync();

        var text = await host.Client.GetStringAsync("metrics");

        Assert.Contains("coopfeeds_ingest_runs_total{", text);
        Assert.Contains("outcome=\"Success\"", text);
        Assert.Contains("coopfeeds_items_new_total{", text);
        Assert.Contains("coopfeeds_fetch_duration_seconds_bucket{", text);
        // .NET's runtime meter, for the memory budget: the process's resident set and what the GC has allocated.
        Assert.Matches(@"(?m)^dotnet_process_memory_working_set_bytes(\{[^}]*\})? [1-9]", text);
        Assert.Matches(@"(?m)^dotnet_gc_heap_total_allocated_bytes_total(\{[^}]*\})? [1-9]", text);
    }

    [Fact]
    public async Task TheClientOfPublicSourcesRefusesALoopbackAddressWithoutConnecting()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/secret", FaultSite.Html("secret"));
        await using var file = FaultSources.Write(new SourceSpec("any", site.Url("/secret")));
        await using var host = await file.StartServiceAsync();
        var seen = site.CountRequests("/secret");
        var client = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient(ListingFetcher.HttpClientNameFor(NetworkReach.Public));
        using var request = new HttpRequestMessage(HttpMethod.Get, site.Url("/secret"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.IsType<AddressRefusedException>(error.InnerException);
        Assert.Equal(seen, site.CountRequests("/secret"));
    }
}
