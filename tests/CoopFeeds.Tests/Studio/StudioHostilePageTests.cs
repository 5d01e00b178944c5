using CoopFeeds.Tests.Ingestion;
using Microsoft.Playwright;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// A page written to attack whoever looks at it — scripts, event attributes, <c>javascript:</c> and <c>data:</c> links, an
/// element id that would break out of an attribute, titles and summaries that are markup as text — walked through the
/// whole studio flow, snapshot included: nothing of it runs in the studio's origin, nothing of it loads, and the
/// snapshot frame is sandboxed with no allowance.
/// </summary>
public sealed class StudioHostilePageTests(StudioBrowser browser) : IClassFixture<StudioBrowser>
{
    private static readonly string[] Probes = ["/beacon.js", "/beacon.css", "/beacon.png", "/beacon.html", "/beacon.swf", "/beacon"];

    [SkippableFact]
    public async Task AHostilePageRunsNothingInTheStudioAndLoadsNothing()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/announcements", FaultSite.Html(await File.ReadAllTextAsync(RepoPaths.Fixture("Studio", "hostile-news.html"))));
        foreach (var probe in Probes) site.Serve(probe, FaultSite.Text("window.top.__pwned = 'loaded'"));
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = StudioPageTests.Watch(page);
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            lock (dialogs) dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };

        await StudioPageTests.SignInAsync(page, host);
        await page.GetByLabel("Page address").FillAsync(site.Url("/announcements").AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fetch" }).ClickAsync();
        var first = page.Locator("#candidates li.candidate").First;
        await first.GetByRole(AriaRole.Button, new() { Name = "Use this one" }).ClickAsync();

        // The items come through as text, markup and all.
        var titles = page.Locator("#items tbody td.title");
        await Assertions.Expect(titles.First).ToHaveTextAsync("<img src=x onerror=\"window.top.__pwned='title';alert('title')\"> Board elections on 2 April");
        await Assertions.Expect(page.Locator("#items tbody")).ToContainTextAsync("\"><svg onload=alert('svg')> A new bakery opens");
        // The summaries too, the one written to close a table cell and open a script among them.
        await page.Locator("#sel-Summary").FillAsync(".teaser");
        await Assertions.Expect(page.Locator("#count-Summary")).ToContainTextAsync("Summary:");
        await page.Locator("#sel-Summary").FocusAsync();
        await StudioBrowser.ScreenshotAsync(page, "hostile-1-items");

        // The snapshot: the server's cleaned copy, in the sandboxed frame.
        await page.Locator("#sel-Title").FocusAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show page" }).ClickAsync();
        await Assertions.Expect(page.Locator("#snapshot-status")).ToContainTextAsync("Outlined");
        var frame = page.FrameLocator("#snapshot-frame");
        await Assertions.Expect(frame.Locator("body")).ToContainTextAsync("Solar roof on the warehouse");
        await StudioBrowser.ScreenshotAsync(page, "hostile-2-snapshot");

        // Give every hostile handler its chance: hover and focus what the page wired, inside the frame too.
        await page.Locator("#items tbody tr").First.HoverAsync();
        await frame.Locator("li").First.HoverAsync();

        Assert.Empty(dialogs);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "code from the page ran in the studio's origin");
        Assert.Equal(0, await page.Locator("#items img, #items svg, #items script, #items iframe, #items object, #items form").CountAsync());
        var hrefs = await page.Locator("#items a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.NotEmpty(hrefs);
        Assert.All(hrefs, href => Assert.StartsWith("http://", href));
        var rels = await page.Locator("#items a").EvaluateAllAsync<string[]>("links => links.map(a => a.rel)");
        Assert.All(rels, rel => Assert.Equal("noopener noreferrer", rel));

        // The frame: sandboxed with no allowance, an opaque origin the parent cannot reach into, no script in its document.
        Assert.Equal("", await page.Locator("#snapshot-frame").GetAttributeAsync("sandbox"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('snapshot-frame').contentDocument === null"));
        var srcdoc = await page.Locator("#snapshot-frame").EvaluateAsync<string>("f => f.srcdoc");
        Assert.DoesNotContain("<script", srcdoc, StringComparison.OrdinalIgnoreCase); // the page's text "<script>" is "&lt;script&gt;" there
        Assert.Equal(0, await frame.Locator(
            "[onmouseover], [onerror], [onload], [onclick], [onfocus], [autofocus], script, iframe, object, embed, form, base, link, "
            + "meta[http-equiv=refresh i], [href^='javascript:' i], [href^='data:' i], [src]:not([src^='data:'])").CountAsync());
        Assert.True(await frame.Locator("[data-coopfeeds-match]").CountAsync() > 0, "the focused selector's matches are not marked");

        // Nothing the page names was fetched by the browser (nor, for the snapshot, by the server).
        Assert.All(Probes, probe => Assert.Equal(0, site.CountRequests(probe)));
        Assert.Empty(errors);
    }
}
