using Microsoft.Playwright;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// Debian's Chromium driven by Playwright, one per test class (a class fixture): launching it costs more than a test.
/// Playwright's own browser download cannot run here, so it launches <c>/usr/bin/chromium</c> (./test.sh installs it).
/// Without it the browser tests are skipped, saying why; on CI (<c>CI=true</c>) they fail instead, so a CI run never
/// passes with the browser half of the studio's tests left out.
/// </summary>
public sealed class StudioBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _missing;

    /// <summary>Where the tests leave their screenshots (and the flow its timing): the README names it.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepoPaths.Root, "artifacts", "studio-screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            _missing = $"{ExecutablePath} is missing: no browser for the studio's tests (./test.sh installs it: apt-get install chromium).";
            return;
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh context (its own sessionStorage, no cookies) and page, for one test.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (_missing is not null)
        {
            var ci = Environment.GetEnvironmentVariable("CI");
            if (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1")
                throw new InvalidOperationException(_missing + " CI=true: the browser tests must run on CI.");
            throw new SkipException(_missing);
        }
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
