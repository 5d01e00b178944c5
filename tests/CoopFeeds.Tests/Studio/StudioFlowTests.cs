using System.Diagnostics;
using System.Text.Json;
using CoopFeeds.Telemetry;
using CoopFeeds.Tests.Cli;
using CoopFeeds.Tests.Ingestion;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// A maintainer adds a source in the browser, against the real service and a loopback site: paste the address, choose
/// the first proposal, watch the table, edit the title selector and watch the table change, save; then the sources file
/// holds the source, <c>check --fixtures</c> passes on it, and once the service has reloaded the file and run the source,
/// the section's feed carries exactly the items the table showed. Every wait is on a signal: Playwright's expectations
/// for the page, the service's ingestion signal for the run.
/// </summary>
public sealed class StudioFlowTests(StudioBrowser browser, ITestOutputHelper output) : IClassFixture<StudioBrowser>
{
    /// <summary>The page's eight headlines, newest first, as the first proposal reads them (its Title is the headline).</summary>
    private static readonly string[] Headlines =
    [
        "General assembly adopts the 2025 work plan",
        "Second round of the cooperative housing fund opens",
        "Three family firms convert to worker ownership",
        "Members report on energy costs for the winter",
        "Spring courses for new board members",
        "Our answer to the consultation on the cooperatives act",
        "Eleven cooperatives join the federation",
        "The 2024 annual report is out",
    ];

    [SkippableFact]
    public async Task AMaintainerAddsASourceInTheBrowserAndTheFeedCarriesTheItemsTheTableShowed()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/news", FaultSite.Html(await File.ReadAllTextAsync(RepoPaths.Fixture("Studio", "federation-news.html"))));
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = StudioPageTests.Watch(page);
        var clock = Stopwatch.StartNew();

        await StudioPageTests.SignInAsync(page, host);

        // 1. The address, fetched by the server: status, final address, size.
        var address = site.Url("/news").AbsoluteUri;
        await page.GetByLabel("Page address").FillAsync(address);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fetch" }).ClickAsync();
        var fetched = page.Locator("#fetch-result");
        await Assertions.Expect(fetched).ToContainTextAsync("200");
        await Assertions.Expect(fetched).ToContainTextAsync(address);
        await StudioBrowser.ScreenshotAsync(page, "flow-1-fetched");

        // 2. The proposals, ranked; the first is the news list.
        var first = page.Locator("#candidates li.candidate").First;
        await Assertions.Expect(first).ToContainTextAsync("8 items");
        await StudioBrowser.ScreenshotAsync(page, "flow-2-candidates");
        await first.GetByRole(AriaRole.Button, new() { Name = "Use this one" }).ClickAsync();

        // 3 and 4. The form is filled and the table shows the page's items, with the counts beside the selectors.
        var titles = page.Locator("#items tbody td.title");
        await Assertions.Expect(titles).ToHaveTextAsync(Headlines);
        await Assertions.Expect(page.Locator("#sel-Item")).ToHaveValueAsync("article.news-teaser");
        await Assertions.Expect(page.Locator("#count-Date")).ToHaveTextAsync("Date: 8/8 parsed");
        await Assertions.Expect(page.Locator("#items tbody td.raw-date").First).ToContainTextAsync("14 March 2025");
        await Assertions.Expect(page.Locator("#items tbody td.date").First).ToContainTextAsync("2025-03-14");
        await StudioBrowser.ScreenshotAsync(page, "flow-3-items");

        // The maintainer wants the topic in the title: the whole heading's link, kicker and headline. The table follows.
        await page.Locator("#sel-Title").FillAsync(".news-teaser__title a");
        await Assertions.Expect(titles.First).ToHaveTextAsync("Governance General assembly adopts the 2025 work plan");
        await Assertions.Expect(page.Locator("#count-Title")).ToHaveTextAsync("Title: 8/8 matched");
        var shown = await titles.AllTextContentsAsync();
        Assert.Equal(8, shown.Count);
        Assert.All(shown.Zip(Headlines), pair => Assert.EndsWith(" " + pair.Second, pair.First));
        var shownLinks = await page.Locator("#items tbody td.link a").EvaluateAllAsync<string[]>("links => links.map(a => a.href)");
        await StudioBrowser.ScreenshotAsync(page, "flow-4-title-edited");

        // 5. Save into a new section; the service's own reload of the file then runs the new source.
        var ran = host.Services.GetRequiredService<IngestionActivity>().WhenNextRunsCompletedAsync(1);
        await page.GetByLabel("Source id").FillAsync("federation-news");
        await page.Locator("#section").SelectOptionAsync("");
        await page.GetByLabel("New section").FillAsync("federation");
        await page.GetByLabel("Its title").FillAsync("Federation of Worker and Housing Cooperatives");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save source" }).ClickAsync();
        await Assertions.Expect(page.Locator("#save-status")).ToContainTextAsync("Saved federation-news");
        await StudioBrowser.ScreenshotAsync(page, "flow-5-saved");

        using (var saved = JsonDocument.Parse(await File.ReadAllTextAsync(file.Path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
        {
            var sources = saved.RootElement.GetProperty("Sources").EnumerateArray().ToList();
            Assert.Contains(sources, s => s.GetProperty("Id").GetString() == StudioService.ExistingSource);
            var source = Assert.Single(sources, s => s.GetProperty("Id").GetString() == "federation-news");
            Assert.Equal("federation", source.GetProperty("Section").GetString());
            Assert.Equal(address, source.GetProperty("Url").GetString());
            Assert.Equal(".news-teaser__title a", source.GetProperty("Selectors").GetProperty("Title").GetString());
            Assert.True(source.GetProperty("AllowPrivateNetworks").GetBoolean()); // saved through the studio's allowance
            Assert.Contains(saved.RootElement.GetProperty("Sections").EnumerateArray(), s => s.GetProperty("Slug").GetString() == "federation");
        }
        Assert.True(File.Exists(Path.Combine(file.Folder, "pages", "federation-news.html")));
        Assert.True(File.Exists(Path.Combine(file.Folder, "pages", "federation-news.expected.json")));

        var check = await CoopFeedsProcess.RunAsync(file.Folder, "check", "--sources", file.Path, "--fixtures");
        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
        Assert.Contains("federation-news: fixture OK", check.StandardOutput);

        await ran.WaitAsync(TimeSpan.FromMinutes(1));
        var feed = await host.FeedItemsAsync("federation");
        Assert.Equal(shown, feed.Select(i => i.Title));
        Assert.Equal(shownLinks, await FeedLinksAsync(host, "federation"));
        clock.Stop();

        var line = $"{DateTime.UtcNow:yyyy-MM-dd'T'HH:mm:ss'Z'} studio flow: {clock.Elapsed.TotalSeconds:0.0} s from opening the page to the section's feed carrying the table's {shown.Count} items";
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(StudioBrowser.ScreenshotFolder, "flow-timing.txt"), line + Environment.NewLine);
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task RepairingASourceOpensItsEntryAsItStandsAndTheItemsItReadsNow()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        // Since the source was saved, the site's page grew: the table shows what the entry reads today.
        site.Serve("/bakers", FaultSite.Html(FaultSite.Listing(4)));
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await StudioPageTests.SignInAsync(page, host);

        await page.GetByLabel("Or repair").SelectOptionAsync(StudioService.ExistingSource);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();

        await Assertions.Expect(page.Locator("#items tbody td.title")).ToHaveTextAsync(["News number 4", "News number 3", "News number 2", "News number 1"]);
        await Assertions.Expect(page.GetByLabel("Page address")).ToHaveValueAsync(site.Url("/bakers").AbsoluteUri);
        await Assertions.Expect(page.Locator("#sel-Item")).ToHaveValueAsync("li.item");
        await Assertions.Expect(page.Locator("#sel-Summary")).ToHaveValueAsync(".summary");
        await Assertions.Expect(page.GetByLabel("Source id")).ToHaveValueAsync(StudioService.ExistingSource);
        await Assertions.Expect(page.Locator("#section")).ToHaveValueAsync("faults");
        await Assertions.Expect(page.Locator("#replace")).ToBeCheckedAsync();
        await StudioBrowser.ScreenshotAsync(page, "repair-opened");

        // The summary is now the paragraph; saved over the entry, which keeps what the form does not show.
        await page.Locator("#sel-Summary").FillAsync("p");
        await Assertions.Expect(page.Locator("#count-Summary")).ToHaveTextAsync("Summary: 4/4 matched");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save source" }).ClickAsync();
        await Assertions.Expect(page.Locator("#save-status")).ToContainTextAsync($"Saved {StudioService.ExistingSource}");
        using var saved = JsonDocument.Parse(await File.ReadAllTextAsync(file.Path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var entry = Assert.Single(saved.RootElement.GetProperty("Sources").EnumerateArray());
        Assert.Equal("p", entry.GetProperty("Selectors").GetProperty("Summary").GetString());
        Assert.Equal(StudioService.ExistingInterval, entry.GetProperty("Interval").GetString());
        Assert.Equal("faults", entry.GetProperty("Section").GetString());
    }

    private static async Task<IReadOnlyList<string>> FeedLinksAsync(ServiceHost host, string section)
    {
        using var feed = JsonDocument.Parse(await host.Client.GetStringAsync($"feeds/{section}.json"));
        return [.. feed.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("url").GetString()!)];
    }
}
