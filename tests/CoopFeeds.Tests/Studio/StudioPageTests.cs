using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoopFeeds.Tests.Ingestion;
using Microsoft.Playwright;

namespace CoopFeeds.Tests.Studio;

/// <summary>The studio's page and script: off unless switched on, served without a token under a strict policy, token in the tab only.</summary>
public sealed partial class StudioPageTests(StudioBrowser browser) : IClassFixture<StudioBrowser>
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src data:; frame-src 'none'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    [Fact]
    public async Task WithoutStudioEnabledThePageAndItsScriptAreNotFound()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await file.StartServiceAsync($"--Studio:Token={StudioService.Token}");

        foreach (var path in new[] { "studio", "studio/studio.js" })
        {
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task ThePageAndItsScriptAreServedWithoutATokenUnderAStrictPolicyAndSetNoCookie()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);

        using var page = await host.Client.GetAsync("studio");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        using var script = await host.Client.GetAsync("studio/studio.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        foreach (var response in new[] { page, script })
        {
            Assert.Equal(Policy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        // The page holds no data: nothing of the sources file is in it.
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain(StudioService.ExistingSource, html);
        Assert.DoesNotContain(site.BaseAddress.Authority, html);
        Assert.Contains("<script type=\"module\" src=\"studio/studio.js\"></script>", html);
        Assert.Contains("<iframe id=\"snapshot-frame\" sandbox ", html); // sandbox with no allowance
    }

    [Fact]
    public async Task TheScriptNeverTurnsAStringIntoMarkup()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);

        var code = CommentLine().Replace(await host.Client.GetStringAsync("studio/studio.js"), "");
        foreach (var sink in new[] { "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "createContextualFragment", "DOMParser" })
            Assert.DoesNotContain(sink, code);
        // The one document it hands over is the snapshot, to the sandboxed frame's srcdoc property.
        Assert.Single(SrcdocAssignment().Matches(code));
        Assert.DoesNotContain("addEventListener(\"message\"", code);
    }

    [SkippableFact]
    public async Task ThePageAsksForTheTokenOnceAndKeepsItInThisTabOnlyWithoutCookies()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = Watch(page);

        await page.GotoAsync(StudioService.Page(host).AbsoluteUri);
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#studio")).ToBeHiddenAsync();

        // A wrong token is refused by the API and asked for again.
        await page.Locator("#token").FillAsync("not-the-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Assertions.Expect(page.Locator("#token-problem")).ToContainTextAsync("refused");
        await Assertions.Expect(page.Locator("#token")).ToBeVisibleAsync();

        await page.Locator("#token").FillAsync(StudioService.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Assertions.Expect(page.Locator("#studio")).ToBeVisibleAsync();
        // The sources the API lists fill the repair choice: the token works.
        await Assertions.Expect(page.Locator($"#existing option[value={StudioService.ExistingSource}]")).ToHaveCountAsync(1);
        await StudioBrowser.ScreenshotAsync(page, "page-token");

        Assert.Equal(StudioService.Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('coopfeeds.studio.token')"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
        Assert.Empty(await context.CookiesAsync());

        // Kept for the tab: a reload does not ask again.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#studio")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#token")).ToBeHiddenAsync();

        // Another tab has no token.
        var other = await context.NewPageAsync();
        await other.GotoAsync(StudioService.Page(host).AbsoluteUri);
        await Assertions.Expect(other.Locator("#token")).ToBeVisibleAsync();

        // The refused token's 401 is the only error the page logged.
        Assert.All(errors, e => Assert.Contains("401", e));
    }

    [SkippableFact]
    public async Task ThePagePolicyLetsNothingLeaveForAnotherOrigin()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/beacon", FaultSite.Text("seen"));
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await page.GotoAsync(StudioService.Page(host).AbsoluteUri);

        var beacon = site.Url("/beacon").AbsoluteUri;
        Assert.Equal("blocked", await page.EvaluateAsync<string>(
            "url => fetch(url, { mode: 'no-cors' }).then(() => 'sent', () => 'blocked')", beacon));
        Assert.Equal("blocked", await page.EvaluateAsync<string>(
            "url => new Promise(done => { const i = new Image(); i.onload = i.onerror = () => done(i.complete && i.naturalWidth ? 'loaded' : 'blocked'); i.src = url; })", beacon));
        Assert.Equal(0, site.CountRequests("/beacon"));

        // The snapshot frame: a srcdoc document renders (frame-src 'none' does not govern about:srcdoc), runs nothing,
        // and the parent cannot reach into it (an opaque origin).
        await page.EvaluateAsync("() => { document.getElementById('snapshot-step').hidden = false; document.getElementById('snapshot-frame').srcdoc = '<p id=probe>cleaned copy</p><script>parent.__pwned = 1</script>'; }");
        await Assertions.Expect(page.FrameLocator("#snapshot-frame").Locator("#probe")).ToHaveTextAsync("cleaned copy");
        Assert.True(await page.EvaluateAsync<bool>("() => document.getElementById('snapshot-frame').contentDocument === null"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
    }

    [SkippableFact]
    public async Task AFetchThatTakesLongSaysItIsWorkingAndCanBeCancelled()
    {
        await using var site = await FaultSite.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        site.Serve("/slow", site.Hang(() => arrived.TrySetResult()));
        await using var file = StudioService.SourcesFile(site);
        // Long enough that the fetcher does not give up before the maintainer does.
        await using var host = await StudioService.StartAsync(file, "--Ingestion:RequestTimeout=00:02:00");
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await SignInAsync(page, host);

        await page.GetByLabel("Page address").FillAsync(site.Url("/slow").AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fetch" }).ClickAsync();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var status = page.Locator("#fetch-status");
        await Assertions.Expect(status.Locator(".busy")).ToContainTextAsync("Fetching");
        await StudioBrowser.ScreenshotAsync(page, "page-fetch-working");

        await status.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Assertions.Expect(status).ToHaveTextAsync("Cancelled.");
        await Assertions.Expect(page.Locator("#fetch-result")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#candidates-step")).ToBeHiddenAsync();
    }

    [SkippableFact]
    public async Task AFetchThatFailsIsNamedOnThePageAndProposesNothing()
    {
        await using var site = await FaultSite.StartAsync();
        site.Serve("/gone", FaultSite.Status(410));
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = Watch(page);
        await SignInAsync(page, host);

        await page.GetByLabel("Page address").FillAsync(site.Url("/gone").AbsoluteUri);
        await page.GetByRole(AriaRole.Button, new() { Name = "Fetch" }).ClickAsync();

        await Assertions.Expect(page.Locator("#fetch-status .problems")).ToContainTextAsync("410");
        await Assertions.Expect(page.Locator("#fetch-result")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#candidates-step")).ToBeHiddenAsync();
        await StudioBrowser.ScreenshotAsync(page, "page-fetch-failed");
        // The API's 422 is logged by the browser as a failed load; nothing else went wrong on the page.
        Assert.All(errors, e => Assert.Contains("422", e));
    }

    [SkippableFact]
    public async Task TheAddressWithATrailingSlashLeadsToThePageWithAWorkingScript()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        var errors = Watch(page);

        // At /studio/ the page's relative script address would be /studio/studio/studio.js, which is not found.
        var response = await page.GotoAsync(new Uri(host.Address, "studio/").AbsoluteUri);
        Assert.NotNull(response?.Request.RedirectedFrom);
        Assert.Equal(StudioService.Page(host).AbsoluteUri, page.Url);
        await page.Locator("#token").FillAsync(StudioService.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#existing option[value={StudioService.ExistingSource}]")).ToHaveCountAsync(1);
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task AFailedPreviewEmptiesTheTableAndSaysWhy()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await OpenExistingAsync(page, host);

        // The table is the truth: with a selector that cannot be read it shows no items, not the last good ones.
        await page.Locator("#sel-Item").FillAsync("li[");
        await Assertions.Expect(page.Locator("#preview-status .problems")).ToContainTextAsync("li[");
        await Assertions.Expect(page.Locator("#items tbody tr")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#count-Item")).ToHaveTextAsync("");
        await StudioBrowser.ScreenshotAsync(page, "page-preview-failed");

        await page.Locator("#sel-Item").FillAsync("li.item");
        await Assertions.Expect(page.Locator("#items tbody td.title")).ToHaveTextAsync(ExistingTitles);
    }

    [SkippableFact]
    public async Task APreviewOvertakenByANewerEditIsAbortedAndNeverReachesTheTable()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await OpenExistingAsync(page, host);

        // The first preview is held in the browser until the second has been answered, so that, were it not aborted, its
        // answer would come last and fill the table with the older selector's rows.
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstFailed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var previews = 0;
        IRequest? first = null;
        page.RequestFailed += (_, request) => { if (request == first) firstFailed.TrySetResult(request.Failure ?? ""); };
        await page.RouteAsync("**/studio/api/preview", async route =>
        {
            if (Interlocked.Increment(ref previews) == 1)
            {
                first = route.Request;
                firstHeld.TrySetResult();
                await secondAnswered.Task;
                try
                {
                    await route.ContinueAsync();
                }
                catch (PlaywrightException)
                {
                    // The browser has already given the request up.
                }
                return;
            }
            await route.FulfillAsync(new() { Response = await route.FetchAsync() });
            secondAnswered.TrySetResult();
        });

        await page.Locator("#sel-Title").FillAsync(".summary");
        await firstHeld.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await page.Locator("#sel-Title").FillAsync("time");

        Assert.Contains("ABORTED", await firstFailed.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var dates = new[] { "4 January 2025", "3 January 2025", "2 January 2025" };
        await Assertions.Expect(page.Locator("#items tbody td.title")).ToHaveTextAsync(dates);
        Assert.Equal(2, previews);
        Assert.Equal(dates, await page.Locator("#items tbody td.title").AllTextContentsAsync());
    }

    [SkippableFact]
    public async Task ASaveRunsOnceWithItsButtonDisabledAndShowsTheWarningsItCameBackWith()
    {
        await using var site = await FaultSite.StartAsync();
        await using var file = StudioService.SourcesFile(site);
        await using var host = await StudioService.StartAsync(file);
        var page = await browser.NewPageAsync();
        await using var context = page.Context;
        await OpenExistingAsync(page, host);
        await page.Locator("#sel-Summary").FillAsync("p");
        await Assertions.Expect(page.Locator("#count-Summary")).ToHaveTextAsync("Summary: 3/3 matched");

        // The save is held in the browser while a second one is asked for; its real answer then comes back with a warning
        // added, as the server gives one when the source was saved but its fixture could not be written.
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saves = 0;
        await page.RouteAsync("**/studio/api/sources", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }
            Interlocked.Increment(ref saves);
            arrived.TrySetResult();
            await release.Task;
            var response = await route.FetchAsync();
            var body = JsonNode.Parse(await response.TextAsync())!.AsObject();
            body["warnings"] = new JsonArray("fixture not written: the disk is full");
            await route.FulfillAsync(new() { Response = response, Body = body.ToJsonString() });
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "Save source" }).ClickAsync();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Assertions.Expect(page.Locator("#save")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#save-status .busy")).ToHaveTextAsync("Saving…");
        // The button cannot be clicked now; a submit by other means (Enter in a field) is what is left, and does nothing.
        await page.EvaluateAsync("() => document.getElementById('save-form').requestSubmit()");
        release.TrySetResult();

        await Assertions.Expect(page.Locator("#save-status")).ToContainTextAsync($"Saved {StudioService.ExistingSource}");
        await Assertions.Expect(page.Locator("#save-warnings")).ToHaveTextAsync("fixture not written: the disk is full");
        await Assertions.Expect(page.Locator("#save")).ToBeEnabledAsync();
        Assert.Equal(1, saves);
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(file.Path), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        Assert.Equal("p", (string?)saved["Sources"]![0]!["Selectors"]!["Summary"]);
    }

    /// <summary>The titles of <see cref="StudioService.SourcesFile"/>'s page, as its source reads them.</summary>
    private static readonly string[] ExistingTitles = ["News number 3", "News number 2", "News number 1"];

    /// <summary>Signs in and opens the existing source to repair, once its items fill the table.</summary>
    private static async Task OpenExistingAsync(IPage page, ServiceHost host)
    {
        await SignInAsync(page, host);
        await page.GetByLabel("Or repair").SelectOptionAsync(StudioService.ExistingSource);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open" }).ClickAsync();
        await Assertions.Expect(page.Locator("#items tbody td.title")).ToHaveTextAsync(ExistingTitles);
    }

    /// <summary>Opens the studio and gives it the token.</summary>
    internal static async Task SignInAsync(IPage page, ServiceHost host)
    {
        await page.GotoAsync(StudioService.Page(host).AbsoluteUri);
        await page.Locator("#token").FillAsync(StudioService.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Assertions.Expect(page.Locator("#studio")).ToBeVisibleAsync();
    }

    /// <summary>Console errors and uncaught exceptions of the page, as they come.</summary>
    internal static List<string> Watch(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
        return errors;
    }

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex CommentLine();

    [GeneratedRegex(@"\.srcdoc\s*=")]
    private static partial Regex SrcdocAssignment();
}
