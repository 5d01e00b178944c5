using System.Text;
using CoopFeeds.Ingestion;

namespace CoopFeeds.Tests.Ingestion;

public sealed class PageDiagnosisTests
{
    private static Task<string?> DescribeAsync(string html) =>
        PageDiagnosis.DescribeWallAsync(Encoding.UTF8.GetBytes(html), new Uri("https://site.example/"), CancellationToken.None);

    [Fact]
    public async Task ALoginFormIsALoginWall() =>
        Assert.Equal("the page looks like a login wall (title 'Members')",
            await DescribeAsync("<title>Members</title><form><input type=password></form>"));

    [Fact]
    public async Task ACookieBannerPageIsACookieWall() =>
        Assert.StartsWith("the page looks like a cookie wall",
            await DescribeAsync("<title>Privacy</title><p>We use cookies. Accept all cookies to continue.</p>"));

    [Fact]
    public async Task ACaptchaIsARobotCheck() =>
        Assert.StartsWith("the page looks like a robot check",
            await DescribeAsync("<title>Just a moment...</title><p>Checking your browser</p>"));

    [Fact]
    public async Task AnErrorPageServedWith200IsAnErrorPage() =>
        Assert.StartsWith("the page looks like an error page",
            await DescribeAsync("<title>Page not found</title><p>Sorry.</p>"));

    [Fact]
    public async Task AnOrdinaryPageIsNoWall() =>
        Assert.Null(await DescribeAsync("<title>Cooperative news</title><p>New stories about cooperatives in Africa.</p>"));
}
