using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core.Tests.Suggestion;

/// <summary>
/// A page with no list gets no candidate and a problem that names why: a login wall, an article, an empty page, an app
/// shell, a bot check. A side list on such a page (related links, a footer) is never proposed in its place.
/// </summary>
public sealed class ProblemPageTests
{
    private const string LoginWall = """
        <!DOCTYPE html><html lang="en"><head><title>Sign in | Members' portal</title></head>
        <body>
        <header><a href="/">Co-op Members</a></header>
        <main>
          <h1>Sign in</h1>
          <form action="/login" method="post">
            <label>Email <input type="email" name="email"></label>
            <label>Password <input type="password" name="password"></label>
            <button>Sign in</button>
          </form>
          <ul class="help-links">
            <li><a href="/password/reset">Forgotten your password?</a></li>
            <li><a href="/register">Create a members' account</a></li>
            <li><a href="/help/sign-in">Help with signing in</a></li>
          </ul>
        </main>
        <footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact</a></footer>
        </body></html>
        """;

    private const string ArticlePage = """
        <!DOCTYPE html><html lang="en"><head><title>How twelve bakers bought their bakery</title>
        <meta property="og:type" content="article"></head>
        <body>
        <header><nav><a href="/">Home</a> <a href="/news/">News</a> <a href="/about/">About</a></nav></header>
        <main>
          <article>
            <h1>How twelve bakers bought their bakery</h1>
            <p class="byline">By Ruth · 4 March 2022</p>
            <p>When the owner of the bakery announced that he would retire at the end of the year, the twelve people who worked there had a choice to make: find new jobs, or find the money to buy the business themselves. They chose the second, and this is the story of the six months it took.</p>
            <p>The first step was a meeting with a cooperative development agency, which explained what a worker cooperative is, how it is governed, and what the bakers would need to raise. The figure was larger than any of them had expected, but the agency had seen larger ones raised.</p>
            <p>A community share offer brought in a third of the money. Regular customers, neighbours and two local businesses bought shares, some of them for the first time in their lives. The rest came from a loan by a cooperative fund and from the bakers' own savings.</p>
            <p>Today the bakery is owned by the people who work in it. They elect a board among themselves, they set their own pay, and they have already taken on two new members. The bread, the customers say, is as good as ever.</p>
            <h2>Related stories</h2>
            <ul class="related">
              <li><a href="/news/flat-pay">Flat pay, five years on</a></li>
              <li><a href="/news/cycle-couriers">Cycle couriers start a co-op of their own</a></li>
              <li><a href="/news/succession-guide">A guide to succession by employee ownership</a></li>
            </ul>
          </article>
        </main>
        <footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
        </body></html>
        """;

    private const string EmptyPage = """
        <!DOCTYPE html><html><head><title></title></head><body></body></html>
        """;

    private const string AppShell = """
        <!DOCTYPE html><html lang="en"><head><title>Co-op News</title>
        <script src="/static/js/runtime.js"></script><script src="/static/js/vendor.js"></script><script src="/static/js/main.js"></script></head>
        <body><noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>
        """;

    private const string BlockPage = """
        <!DOCTYPE html><html lang="en"><head><title>Just a moment...</title></head>
        <body><div class="main-wrapper"><h1>coop.example.org</h1><h2>Checking your browser before accessing coop.example.org.</h2>
        <p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
        <p>Please allow up to 5 seconds…</p></div></body></html>
        """;

    [Fact]
    public async Task ALoginWallGetsNoCandidateAndAProblemNamingIt()
    {
        var result = await Suggest.PageAsync(LoginWall);

        Assert.Empty(result.Candidates);
        Assert.Contains(result.Problems, p => p.StartsWith("login wall: the page asks for a password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnArticleWithARelatedListGetsNoCandidateAndAProblemNamingIt()
    {
        var result = await Suggest.PageAsync(ArticlePage);

        Assert.Empty(result.Candidates);
        Assert.Contains(result.Problems, p => p.StartsWith("an article, not a list", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnEmptyPageGetsNoCandidateAndAProblemNamingIt()
    {
        var result = await Suggest.PageAsync(EmptyPage);

        Assert.Empty(result.Candidates);
        Assert.Equal(["empty page: no text and no links"], result.Problems);
    }

    [Fact]
    public async Task AnAppShellGetsNoCandidateAndAProblemNamingIt()
    {
        var result = await Suggest.PageAsync(AppShell);

        Assert.Empty(result.Candidates);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("app shell: the page is built by JavaScript in the browser (div#root is empty, 3 scripts", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABotCheckGetsNoCandidateAndAProblemNamingIt()
    {
        var result = await Suggest.PageAsync(BlockPage);

        Assert.Empty(result.Candidates);
        Assert.Contains(result.Problems, p => p.StartsWith("blocked: the site answered with a bot check", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APageWhoseOnlyListsAreChromeGetsNoCandidate()
    {
        var result = await Suggest.PageAsync(Suggest.WithChrome("<h1>About us</h1><p>We are a federation of cooperatives.</p>"));

        Assert.Empty(result.Candidates);
        Assert.Contains(result.Problems, p => p.StartsWith("no list found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoItemsAreNoList()
    {
        var result = await Suggest.PageAsync(Suggest.WithChrome(Suggest.Articles(2)));

        Assert.Empty(result.Candidates);
        Assert.Contains("too short a list: only 2 similar items (article.story), and a list needs at least 3", result.Problems);
    }

    [Fact]
    public async Task ALoginBoxBesideARealListDoesNotHideTheList()
    {
        var page = Suggest.WithChrome(Suggest.Articles(5) + """
            <form class="login-box" action="/login" method="post"><input name="user"><input type="password" name="pass"><button>Log in</button></form>
            """);

        var result = await Suggest.PageAsync(page);

        Assert.Equal("article.story", result.Candidates[0].Source.Selectors.Item);
    }
}
