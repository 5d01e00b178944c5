using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Tests.Normalization;

public sealed class SummarySanitizerTests
{
    private static readonly Uri Base = new("https://www.ilo.org/news/list.html");

    private static SanitizedSummary Sanitize(string html) => SummarySanitizer.Sanitize(html, Base);

    [Theory]
    [InlineData("<p>Hello</p><script>alert(1)</script>", "<p>Hello</p>")]
    [InlineData("<p>Hello<script type=\"module\">import x from '/x.js'</script></p>", "<p>Hello</p>")]
    [InlineData("<p>Hello</p><iframe src=\"https://evil.example/\">fallback</iframe>", "<p>Hello</p>")]
    [InlineData("<p>Hello</p><object data=\"x.swf\"><embed src=\"x.swf\"></object>", "<p>Hello</p>")]
    [InlineData("<p>Hello</p><form action=\"/x\"><input name=q><button>Go</button></form>", "<p>Hello</p>")]
    [InlineData("<p>Hello</p><style>p { color: red }</style>", "<p>Hello</p>")]
    [InlineData("<p>Hello</p><svg><script>alert(1)</script><text>x</text></svg>", "<p>Hello</p>")]
    [InlineData("<p>Hello</p><noscript><img src=x></noscript>", "<p>Hello</p>")]
    [InlineData("<p onclick=\"alert(1)\" onmouseover=\"x()\">Hello</p>", "<p>Hello</p>")]
    [InlineData("<p style=\"color:red\" class=\"lead\" id=\"p1\" data-x=\"1\">Hello</p>", "<p>Hello</p>")]
    [InlineData("<a href=\"javascript:alert(1)\">Hello</a>", "Hello")]
    [InlineData("<a href=\" JaVaScRiPt:alert(1)\">Hello</a>", "Hello")]
    [InlineData("<a href=\"vbscript:x\" title=\"t\">Hello</a>", "Hello")]
    [InlineData("<a href=\"mailto:press@ilo.org\">Write</a>", "<a href=\"mailto:press@ilo.org\">Write</a>")]
    [InlineData("<img src=\"data:image/svg+xml;base64,PHN2Zz4=\" alt=\"x\">Hello", "Hello")]
    [InlineData("<p>Hello<!-- a comment --></p>", "<p>Hello</p>")]
    public void RemovesWhatCouldRunOrRestyle(string html, string expected) =>
        Assert.Equal(expected, Sanitize(html).Html);

    [Theory]
    [InlineData("<img src=\"/img/a.png\" alt=\"A\">", "<img src=\"https://www.ilo.org/img/a.png\" alt=\"A\">")]
    [InlineData("<img src=\"a.png\">", "<img src=\"https://www.ilo.org/news/a.png\">")]
    [InlineData("<img src=\"//cdn.ilo.org/a.png\">", "<img src=\"https://cdn.ilo.org/a.png\">")]
    [InlineData("<a href=\"item-1.html\">More</a>", "<a href=\"https://www.ilo.org/news/item-1.html\">More</a>")]
    [InlineData("<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"/img/real.jpg\" alt=\"A\">", "<img src=\"https://www.ilo.org/img/real.jpg\" alt=\"A\">")]
    public void MakesUrlsAbsolute(string html, string expected) =>
        Assert.Equal(expected, Sanitize(html).Html);

    [Theory]
    [InlineData("<p><b>bold", "<p><b>bold</b></p>")] // balanced: fits in a <div>
    [InlineData("<li>one<li>two", "<li>one</li><li>two</li>")]
    [InlineData("Hello</div></div><div>World", "Hello<div>World</div>")] // stray end tags cannot close the container
    [InlineData("<section><p>x</p></section><article>y</article>", "<div><p>x</p></div><div>y</div>")]
    [InlineData("<font color=\"red\">x</font> <blink>y</blink>", "x y")]
    [InlineData("<h1>Title</h1><h2>Sub</h2><h5>Small</h5>", "<h3>Title</h3><h4>Sub</h4><h6>Small</h6>")]
    [InlineData("<table><tr><td colspan=2>x</td></tr></table>", "<table><tbody><tr><td>x</td></tr></tbody></table>")]
    [InlineData("<figure><img src=\"https://x.org/a.png\" alt=\"a\"><figcaption>Cap</figcaption></figure>", "<figure><img src=\"https://x.org/a.png\" alt=\"a\"><figcaption>Cap</figcaption></figure>")]
    [InlineData("<blockquote><q>quote</q> <cite>who</cite></blockquote>", "<blockquote><q>quote</q> <cite>who</cite></blockquote>")]
    public void KeepsHarmlessStructureBalanced(string html, string expected) =>
        Assert.Equal(expected, Sanitize(html).Html);

    [Theory]
    [InlineData("<p>First</p><p>Second</p>", "First Second")]
    [InlineData("One<br>Two", "One Two")]
    [InlineData("<ul><li>a</li><li>b</li></ul>", "a b")]
    [InlineData("<p>Tom &amp; Jerry&nbsp;&nbsp;in <b>Paris</b></p>", "Tom & Jerry in Paris")]
    [InlineData("<p>a ]]&gt; b</p>", "a ]]> b")]
    [InlineData("<p>Hello</p><script>alert(1)</script>", "Hello")]
    public void PlainTextSeparatesBlocksAndCollapsesWhitespace(string html, string expected) =>
        Assert.Equal(expected, Sanitize(html).Text);

    [Fact]
    public void CdataEndStaysTextAndIsEscapedInHtml()
    {
        var summary = Sanitize("<p>a ]]> b</p>");

        Assert.Equal("<p>a ]]&gt; b</p>", summary.Html);
        Assert.Equal("a ]]> b", summary.Text);
    }

    [Fact]
    public void ForbiddenCharactersAreRemovedFromTextAndAttributes()
    {
        var summary = Sanitize("<p title=\"t\u0001\">a\u0001b\uFFFE&#1;c</p>");

        Assert.Equal("<p title=\"t\">abc</p>", summary.Html);
        Assert.Equal("abc", summary.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("<p>&nbsp;</p>")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("<p>\u200B</p><br>")]
    [InlineData("<img src=\"javascript:alert(1)\">")]
    public void EmptySummaryGivesNothing(string? html) =>
        Assert.Equal(SanitizedSummary.None, SummarySanitizer.Sanitize(html, Base));

    [Theory]
    [InlineData("\n        <p>\n            Forty households\n            bought their block.\n        </p>\n      ", "<p>Forty households bought their block.</p>")]
    [InlineData("<p>One.</p>\n  <p>Two.</p>", "<p>One.</p><p>Two.</p>")]
    [InlineData("<p>A <b>bold</b>\t\t<i>move</i></p>", "<p>A <b>bold</b> <i>move</i></p>")]
    [InlineData("<p>Line one<br>\n   line two</p>", "<p>Line one<br>line two</p>")]
    [InlineData("The first week: <b>400 portions a day.\n</b>", "The first week: <b>400 portions a day.</b>")]
    [InlineData("<p><em>\n  Emphasis</em> first</p>", "<p><em>Emphasis</em> first</p>")]
    [InlineData("<ul>\n  <li> One </li>\n  <li>Two</li>\n</ul>", "<ul><li>One</li><li>Two</li></ul>")]
    [InlineData("<p>Keep\u00A0this no-break space</p>", "<p>Keep&nbsp;this no-break space</p>")]
    [InlineData("<pre>  keep\n    indented\n</pre>", "<pre>  keep\n    indented\n</pre>")]
    public void CollapsesThePagesIndentationOutsidePre(string html, string expected) =>
        Assert.Equal(expected, Sanitize(html).Html);

    [Fact]
    public void RelativeUrlsOfASavedPageWithoutHttpBaseAreRemoved()
    {
        var summary = SummarySanitizer.Sanitize("<a href=\"item.html\">x</a><img src=\"a.png\">", new Uri("file:///srv/pages/ilo.html"));

        Assert.Equal("x", summary.Html);
    }

    [Fact]
    public void UrlsThatStayRelativeAreRemoved()
    {
        var summary = SummarySanitizer.Sanitize("<a href=\"item.html\">x</a> <a href=\"https://x.org/\">y</a>", new Uri("pages/ilo.html", UriKind.Relative));

        Assert.Equal("x <a href=\"https://x.org/\">y</a>", summary.Html);
    }

    [Fact]
    public void ImageOnlySummaryKeepsItsHtmlWithoutText()
    {
        var summary = Sanitize("<img src=\"/a.png\" alt=\"\">");

        Assert.Equal("<img src=\"https://www.ilo.org/a.png\" alt=\"\">", summary.Html);
        Assert.Null(summary.Text);
    }

    /// <summary>Paragraphs, nesting, links, entities, a list, a table and an image: every kind of place a cut can fall.</summary>
    private const string Rich =
        "<p>Cooperatives &amp; mutuals <b>grow <i>across</i> Europe</b>, says the <a href=\"/report\">ILO&nbsp;report</a>.</p>"
        + "<ul><li>One &lt;first&gt; point</li><li>Second point with <em>emphasis</em></li></ul>"
        + "<table><tr><td>cell one</td><td>cell two</td></tr></table><img src=\"/a.png\" alt=\"A\"><p>Last words here</p>";

    [Fact]
    public void ALongSummaryIsCutToTheLimitAsWellFormedSanitizedMarkup()
    {
        var whole = Sanitize(Rich).Html!;
        for (var max = 1; max <= whole.Length + 1; max++)
        {
            var summary = SummarySanitizer.Sanitize(Rich, Base, max);
            var html = summary.Html ?? "";

            Assert.True(html.Length <= max, $"{max}: {html}");
            if (max >= whole.Length)
            {
                Assert.Equal(whole, html);
                Assert.Null(summary.CutFromLength);
                continue;
            }

            Assert.Equal(whole.Length, summary.CutFromLength);
            Assert.EndsWith("…", summary.Text ?? "…");
            // Well-formed and still sanitized: parsing the cut markup again and sanitizing it changes nothing, so no tag,
            // attribute or entity was cut and every element is closed.
            Assert.Equal(html, Sanitize(html).Html ?? "");
        }
    }

    [Fact]
    public void ACutFallsOnAWordAndEndsWithAnEllipsis()
    {
        var summary = SummarySanitizer.Sanitize("<p>Cooperatives <b>across Europe</b> grow steadily every year</p>", Base, 40);

        Assert.Equal("<p>Cooperatives <b>across…</b></p>", summary.Html);
        Assert.Equal("Cooperatives across…", summary.Text);
    }

    [Fact]
    public void AMegabyteSummaryIsCutToTenThousandCharacters()
    {
        var huge = string.Concat(Enumerable.Repeat("<p>Cooperatives &amp; mutuals grow <a href=\"/r\">across Europe</a>.</p>", 15_000));

        var summary = SummarySanitizer.Sanitize(huge, Base, NormalizationLimits.DefaultMaxSummaryChars);

        Assert.True(huge.Length > 1_000_000);
        Assert.InRange(summary.Html!.Length, NormalizationLimits.DefaultMaxSummaryChars - 100, NormalizationLimits.DefaultMaxSummaryChars);
        Assert.True(summary.CutFromLength > 1_000_000);
        Assert.Equal(summary.Html, Sanitize(summary.Html).Html);
    }

    [Fact]
    public async Task SummariesSanitizedOnManyThreadsAtOnceComeOutAsOneByOne()
    {
        // Each thread parses into a document of its own that it reuses: no summary may see another's nodes, on any thread.
        string[] inputs =
        [
            "<p>One <script>alert(1)</script><a href=\"/a\">link</a></p>",
            "<ul><li>two</li><li><img src=\"/i.png\" onerror=\"x()\"></li></ul>",
            "<h1>Three</h1><table><tr><td>cell</td></tr></table>",
            "plain text four & more",
            "<div><p>unclosed five",
        ];
        var expected = inputs.Select(html => Sanitize(html)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(n => Task.Run(() => (n, Summary: Sanitize(inputs[n % inputs.Length])))));

        Assert.All(results, r => Assert.Equal(expected[r.n % inputs.Length], r.Summary));
    }
}
