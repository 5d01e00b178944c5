using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// Suggestions, previews and snapshots of a fetched page: read from the bytes fetched once, with the selectors as typed,
/// through the same reader as ingestion.
/// </summary>
public sealed class StudioPreviewTests
{
    private static readonly object ListingSource = new
    {
        Selectors = new { Item = "li.item", Title = "a", Link = "a@href", Date = "time", Summary = ".summary" },
        DateFormats = new[] { "d MMMM yyyy" },
    };

    [Fact]
    public async Task ASuggestionAndThePreviewOfItsFirstCandidateShowThePagesItems()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(6)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var suggestion = await studio.PostJsonAsync("studio/api/suggest", new { fetchId });
        var candidate = suggestion.GetProperty("candidates")[0];
        Assert.Equal(6, candidate.GetProperty("itemCount").GetInt32());
        var source = candidate.GetProperty("source");
        Assert.False(string.IsNullOrEmpty(source.GetProperty("Selectors").GetProperty("Item").GetString()));

        var preview = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source });
        var items = preview.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 6).Reverse().Select(n => $"News number {n}"), items.Select(i => i.GetProperty("title").GetString()));
        Assert.Equal(site.Url("/news/6").AbsoluteUri, items[0].GetProperty("link").GetString());
        Assert.StartsWith("urn:uuid:", items[0].GetProperty("id").GetString());
        // The suggestion's own first items are the preview's: the same reader made both.
        Assert.Equal(
            candidate.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()),
            items.Take(candidate.GetProperty("items").GetArrayLength()).Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(1, site.CountRequests("/news"));
    }

    [Fact]
    public async Task ASuggestionByUrlFetchesThePageAndAPageWithoutAListAnswers422WithProblemsOnly()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(5)));
        site.Serve("/about", FaultSite.Html("<!DOCTYPE html><html><body><p>We are a cooperative.</p></body></html>"));
        await using var studio = await StudioHost.StartAsync();

        var suggestion = await studio.PostJsonAsync("studio/api/suggest", new { url = site.Url("/news").AbsoluteUri, top = 1 });
        Assert.Single(suggestion.GetProperty("candidates").EnumerateArray());
        var none = await studio.PostJsonAsync("studio/api/suggest", new { url = site.Url("/about").AbsoluteUri }, HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(StudioHost.Problems(none));
        Assert.False(none.TryGetProperty("candidates", out _));
        var both = await studio.PostJsonAsync("studio/api/suggest", new { url = site.Url("/news").AbsoluteUri, fetchId = "x" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(StudioHost.Problems(both));
    }

    [Fact]
    public async Task ThePreviewFollowsTheTypedSelectorsNotTheSavedOnesAndReadsTheKeptBytes()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));
        // The site changes after the fetch: the preview still reads what was fetched.
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3, first: 50)));

        var byLink = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source = ListingSource });
        var byDate = await studio.PostJsonAsync("studio/api/preview", new
        {
            fetchId,
            source = new { Selectors = new { Item = "li.item", Title = "time", Link = "a@href" } },
        });

        Assert.Equal(["News number 3", "News number 2", "News number 1"], Titles(byLink));
        Assert.Equal(["4 January 2025", "3 January 2025", "2 January 2025"], Titles(byDate));
        Assert.Equal(1, site.CountRequests("/news"));
    }

    [Fact]
    public async Task EachItemCarriesItsRawDateAndItsWarningsAndTheCountsSayWhatEachSelectorMatched()
    {
        await using var site = await FaultSite.StartAsync();
        // Dates shown as words only (no datetime attribute), one of them no date at all.
        var page = Regex.Replace(FaultSite.Listing(10), " datetime=\"[^\"]*\"", "").Replace(">5 January 2025<", ">sometime soon<", StringComparison.Ordinal);
        site.Serve("/news", FaultSite.Html(page));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var preview = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source = ListingSource });

        var items = preview.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        var undated = Assert.Single(items, i => i.GetProperty("date").ValueKind == JsonValueKind.Null);
        Assert.Equal("sometime soon", undated.GetProperty("rawDate").GetString());
        Assert.Contains(undated.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("\"sometime soon\" is not recognised"));
        var dated = items[0];
        Assert.Equal("11 January 2025", dated.GetProperty("rawDate").GetString());
        Assert.Equal("2025-01-11T00:00:00+00:00", dated.GetProperty("date").GetString());
        Assert.Empty(dated.GetProperty("warnings").EnumerateArray());
        // The item's own warning is among the listing's too, as preview prints it.
        Assert.Contains(preview.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("\"sometime soon\" is not recognised"));

        var counts = preview.GetProperty("counts");
        Assert.Equal(10, counts.GetProperty("Item").GetProperty("matched").GetInt32());
        Assert.Equal(10, counts.GetProperty("Title").GetProperty("matched").GetInt32());
        Assert.Equal(10, counts.GetProperty("Date").GetProperty("matched").GetInt32());
        Assert.Equal(9, counts.GetProperty("Date").GetProperty("parsed").GetInt32());
        Assert.Equal(10, counts.GetProperty("Summary").GetProperty("matched").GetInt32());
        Assert.False(counts.TryGetProperty("Category", out _)); // no selector, no count
    }

    [Fact]
    public async Task TheDateCountsAreOverTheItemsShownEvenWhenPagesRepeatItems()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3, first: 4).Replace("</ul>", "</ul><a rel=\"next\" href=\"/news/older\">Older</a>", StringComparison.Ordinal)));
        // Page 2 repeats the three items of page 1 (the listing moved on between two fetches): they are shown once.
        site.Serve("/news/older", FaultSite.Html(FaultSite.Listing(6, first: 1)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var preview = await studio.PostJsonAsync("studio/api/preview", new
        {
            fetchId,
            source = new { Selectors = new { Item = "li.item", Title = "a", Link = "a@href", Date = "time", NextPage = "a[rel=next]@href" }, DateFormats = new[] { "d MMMM yyyy" }, MaxPages = 2 },
        });

        Assert.Equal(6, Titles(preview).Count());
        var date = preview.GetProperty("counts").GetProperty("Date");
        Assert.Equal(6, date.GetProperty("matched").GetInt32());
        Assert.Equal(6, date.GetProperty("parsed").GetInt32());
    }

    [Fact]
    public async Task LaterPagesAreFetchedWithinTheStudiosRobotsRuleAndFetchLimitWhateverTheFormSays()
    {
        static string WithNext(string page, string next) =>
            page.Replace("</ul>", $"</ul><a rel=\"next\" href=\"{next}\">Older</a>", StringComparison.Ordinal);
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(WithNext(FaultSite.Listing(3, first: 7), "/news/older")));
        site.Serve("/news/older", FaultSite.Html(WithNext(FaultSite.Listing(3, first: 4), "/news/oldest")));
        site.Serve("/news/oldest", FaultSite.Html(FaultSite.Listing(3, first: 1)));
        site.Serve("/robotless", FaultSite.Html(WithNext(FaultSite.Listing(3, first: 4), "/private/older")));
        site.Serve("/private/older", FaultSite.Html(FaultSite.Listing(3, first: 1)));
        await using var studio = await StudioHost.StartAsync(true, null, "--Studio:FetchesPerWindow=4", "--Studio:FetchWindow=00:10:00");
        var selectors = new { Item = "li.item", Title = "a", NextPage = "a[rel=next]@href" };

        // robots.txt disallows /private/: the form cannot switch that off for the pages after the first.
        var robotless = await studio.FetchAsync(site.Url("/robotless"));
        var robots = await studio.PostJsonAsync("studio/api/preview", new { fetchId = robotless, source = new { Selectors = selectors, MaxPages = 2, RespectRobots = false } });
        Assert.Equal(3, Titles(robots).Count());
        Assert.Contains(robots.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("RobotsDisallowed", StringComparison.Ordinal));
        Assert.Equal(0, site.CountRequests("/private/older"));

        // The two above count (a page robots.txt refuses was still asked for); here the first page and page 2 are the 3rd and
        // 4th of the window, so page 3 is not followed.
        var fetchId = await studio.FetchAsync(site.Url("/news"));
        var preview = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source = new { Selectors = selectors, MaxPages = 3 } });
        Assert.Equal(Enumerable.Range(4, 6).Reverse().Select(n => $"News number {n}"), Titles(preview));
        Assert.Contains(preview.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("Studio:FetchesPerWindow", StringComparison.Ordinal));
        Assert.Equal(1, site.CountRequests("/news/older"));
        Assert.Equal(0, site.CountRequests("/news/oldest"));
    }

    [Fact]
    public async Task APreviewOverSeveralPagesReadsTheFirstFromTheKeptBytesAndFetchesTheNextAsIngestionWould()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3, first: 4).Replace("</ul>", "</ul><a rel=\"next\" href=\"/news/older\">Older</a>", StringComparison.Ordinal)));
        site.Serve("/news/older", FaultSite.Html(FaultSite.Listing(3, first: 1)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var preview = await studio.PostJsonAsync("studio/api/preview", new
        {
            fetchId,
            source = new { Selectors = new { Item = "li.item", Title = "a", NextPage = "a[rel=next]@href" }, MaxPages = 2 },
        });

        Assert.Equal(Enumerable.Range(1, 6).Reverse().Select(n => $"News number {n}"), Titles(preview));
        Assert.Equal(6, preview.GetProperty("counts").GetProperty("Item").GetProperty("matched").GetInt32());
        Assert.Equal(1, preview.GetProperty("counts").GetProperty("NextPage").GetProperty("matched").GetInt32());
        Assert.Contains(preview.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("followed 2 pages", StringComparison.Ordinal));
        Assert.Equal(1, site.CountRequests("/news"));
        Assert.Equal(1, site.CountRequests("/news/older"));
    }

    [Fact]
    public async Task AMissingOrBrokenSelectorIsA422NamingIt()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(3)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        var broken = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source = new { Selectors = new { Item = "li[", Title = "a" } } },
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains(StudioHost.Problems(broken), p => p.Contains("Selectors.Item") && p.Contains("li["));
        var missing = await studio.PostJsonAsync("studio/api/preview", new { fetchId, source = new { Selectors = new { Title = "a" } } },
            HttpStatusCode.UnprocessableEntity);
        Assert.Contains(StudioHost.Problems(missing), p => p.Contains("Item"));
    }

    [Fact]
    public async Task ASnapshotOfAHostilePageHoldsNothingThatRunsOrLoadsAndMarksTheFocusedMatches()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(HostilePage));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        using var response = await studio.PostAsync("studio/api/snapshot", new { fetchId, source = ListingSource, focus = "Title" });
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(new Regex(@"<[^>]*\son[a-z]+\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"(src|href|action|srcset|poster)\s*=\s*[""']?(https?:|//|/)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<svg", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<meta http-equiv", html, StringComparison.OrdinalIgnoreCase);
        // Only the <style> the snapshot itself brings.
        Assert.Equal(1, Regex.Count(html, "<style", RegexOptions.IgnoreCase));
        // The three titles are marked, each once, in order; the page's own mark is gone.
        Assert.Equal(["1", "2", "3"], Regex.Matches(html, "data-coopfeeds-match=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.Contains("News number 2", html);
        Assert.Contains("src=\"data:image/png;base64,", html);
    }

    [Fact]
    public async Task ASnapshotMarksWhatTheFocusedFieldMatches()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(FaultSite.Listing(4)));
        await using var studio = await StudioHost.StartAsync();
        var fetchId = await studio.FetchAsync(site.Url("/news"));

        foreach (var (focus, marked, element) in new[] { ("Item", 4, "li"), ("Date", 4, "time"), ("Summary", 4, "p"), ("Category", 0, "") })
        {
            using var response = await studio.PostAsync("studio/api/snapshot", new { fetchId, source = ListingSource, focus });
            var html = await response.Content.ReadAsStringAsync();
            var marks = Regex.Matches(html, "<([a-z0-9]+)[^>]*data-coopfeeds-match=");
            Assert.Equal(marked, marks.Count);
            Assert.All(marks, m => Assert.Equal(element, m.Groups[1].Value));
        }
        var unknown = await studio.PostJsonAsync("studio/api/snapshot", new { fetchId, source = ListingSource, focus = "Body" }, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(StudioHost.Problems(unknown), p => p.Contains("focus"));
    }

    /// <summary>Scripts, event attributes, javascript: links, loads of every kind, and an id crafted to break out of an attribute.</summary>
    private const string HostilePage = """
        <!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title>
        <meta http-equiv="refresh" content="0;url=https://evil.example/"><link rel="stylesheet" href="https://evil.example/s.css">
        <style>body{background:url(https://evil.example/bg.png)}</style><script>alert('head')</script><base href="https://evil.example/"></head>
        <body onload="alert('body')">
        <ul data-coopfeeds-match="forged">
        <li class="item" id="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"><a href="javascript:alert('link')" onclick="alert('click')">News number 3</a>
          <time datetime="2025-01-03">3 January 2025</time><p class="summary" style="background:url(//evil.example/p.png)">Summary <img src="x" onerror="alert('img')"></p></li>
        <li class="item"><a href="/news/2" onmouseover="alert(2)">News number 2</a><time>2 January 2025</time>
          <p class="summary"><svg onload="alert('svg')"><script>alert('svg script')</script></svg><img src="https://evil.example/track.gif"><img src="data:image/png;base64,iVBORw0KGgo="></p></li>
        <li class="item"><a href="/news/1">News number 1</a><time>1 January 2025</time>
          <p class="summary"><iframe src="https://evil.example/"></iframe><form action="https://evil.example/"><input name="q" autofocus onfocus="alert('focus')"></form>
          <object data="https://evil.example/x.swf"></object><img srcset="https://evil.example/a.png 1x"><video poster="https://evil.example/p.png"></video>
          <noscript><img src="https://evil.example/noscript.png"></noscript></p></li>
        </ul><script src="https://evil.example/x.js"></script></body></html>
        """;

    private static IEnumerable<string> Titles(JsonElement preview) =>
        preview.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!);
}
