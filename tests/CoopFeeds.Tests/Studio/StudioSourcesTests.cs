using System.Net;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Studio;

/// <summary>The sources file as the studio reads it: what runs, and one entry as written, to repair it.</summary>
public sealed class StudioSourcesTests
{
    [Fact]
    public async Task TheSourcesAndSectionsInForceAreListedAndOneEntryIsGivenAsItStandsInTheFile()
    {
        var selectors = new Dictionary<string, string> { ["Item"] = "li.item", ["Title"] = "a", ["Date"] = "time@datetime" };
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(2)));
        await using var studio = await StudioHost.StartAsync([new SourceSpec("coop-news", site.Url("/news")) { Selectors = selectors }]);

        var list = await studio.GetJsonAsync("studio/api/sources");
        var listed = Assert.Single(list.GetProperty("sources").EnumerateArray());
        Assert.Equal("coop-news", listed.GetProperty("id").GetString());
        Assert.Equal("faults", listed.GetProperty("section").GetString());
        Assert.Equal(site.Url("/news").AbsoluteUri, listed.GetProperty("url").GetString());
        var section = Assert.Single(list.GetProperty("sections").EnumerateArray());
        Assert.Equal("faults", section.GetProperty("slug").GetString());
        Assert.Equal("Fault site", section.GetProperty("title").GetString());

        var entry = await studio.GetJsonAsync("studio/api/sources/coop-news");
        Assert.Equal("coop-news", entry.GetProperty("id").GetString());
        var source = entry.GetProperty("source");
        Assert.Equal("time@datetime", source.GetProperty("Selectors").GetProperty("Date").GetString());
        Assert.Equal("01:00:00", source.GetProperty("Interval").GetString());

        // The entry goes back to the preview as it is.
        var fetchId = await studio.FetchAsync(site.Url("/news"));
        var preview = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source });
        Assert.Equal(2, preview.GetProperty("items").GetArrayLength());

        await studio.GetJsonAsync("studio/api/sources/no-such-source", HttpStatusCode.NotFound);
        using var anonymous = await studio.Host.Client.GetAsync("studio/api/sources/coop-news");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }
}
