
using CoopFeeds.Fetching;

namespace CoopFeeds.Tests.Fetching;

public sealed class RobotsRulesTests
{
    private const string Agent = "CoopFeeds/1.0 (+https://coopfeeds.example)";

    private static bool Allows(string robots, string path) => RobotsRules.Parse(robots, Agent).Allows(new Uri("https://site.example" + path));

    [Fact]
    public void TheGroupNamingOurProductTokenWinsOverTheStarGroup()
    {
        const string robots = "User-agent: *\nDisallow: /\n\nUser-agent: coopfeeds\nDisallow: /private\n";

        Assert.True(Allows(robots, "/news"));
        Assert.False(Allows(robots, "/private/x"));
    }

    [Fact]
    public void WithoutOurGroupTheStarGroupApplies()
    {
        const string robots = "User-agent: OtherBot\nDisallow: /\n\nUser-agent: *\nDisallow: /admin\n";

        Assert.True(Allows(robots, "/news"));
        Assert.False(Allows(robots, "/admin/login"));
    }

    [Fact]
    public void TheLongestMatchWinsAndAllowWinsATie()
    {
        const string robots = "User-agent: *\nDisallow: /news\nAllow: /news/public\nDisallow: /same\nAllow: /same\n";

        Assert.False(Allows(robots, "/news/secret"));
        Assert.True(Allows(robots, "/news/public/1"));
        Assert.True(Allows(robots, "/same/thing"));
    }

    [Fact]
    public void StarMatchesAnyRunAndDollarAnchorsTheEnd()
    {
        const string robots = "User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?session=\n";

        Assert.False(Allows(robots, "/files/report.pdf"));
        Assert.True(Allows(robots, "/files/report.pdf?download=1"));
        Assert.False(Allows(robots, "/list?session=42"));
        Assert.True(Allows(robots, "/list?page=2"));
    }

    [Fact]
    public void ConsecutiveUserAgentLinesShareOneGroupAndGroupsAreMerged()
    {
        const string robots = "User-agent: a\nUser-agent: CoopFeeds\nDisallow: /one\n\nUser-agent: coopfeeds\nDisallow: /two # comment\n";

        Assert.False(Allows(robots, "/one"));
        Assert.False(Allows(robots, "/two"));
        Assert.True(Allows(robots, "/three"));
    }

    [Fact]
    public void AnEmptyDisallowAllowsEverythingAndRobotsTxtItselfIsAlwaysAllowed()
    {
        Assert.True(Allows("User-agent: *\nDisallow:\n", "/anything"));
        Assert.True(Allows("User-agent: *\nDisallow: /\n", "/robots.txt"));
        Assert.False(Allows("User-agent: *\nDisallow: /\n", "/"));
    }

    [Fact]
    public void PercentEncodingAndNonAsciiPathsCompareEqual()
    {
        Assert.False(Allows("User-agent: *\nDisallow: /café\n", "/caf%C3%A9/menu"));
        Assert.False(Allows("User-agent: *\nDisallow: /caf%c3%a9\n", "/café"));
    }

    [Fact]
    public void TheDecidingRuleIsNamed()
    {
        var rules = RobotsRules.Parse("User-agent: *\nDisallow: /a\nDisallow: /a/b\n", Agent);

        Assert.Equal("Disallow: /a/b", rules.DecidingRule(new Uri("https://site.example/a/b/c")));
    }
}
