using System.Text;
using AngleSharp;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>
/// A page that nests deeper than any listing is refused before it is parsed, whatever markup builds the nesting; ordinary
/// sloppy pages, flat however many elements they leave open, are not. Each page is also parsed by AngleSharp itself (600
/// levels parse fast) to show that the check agrees with the parser: a hostile page reaches the 512 levels at which
/// AngleSharp stops nesting the tree it builds (its stack of open elements, which is what costs, grows on).
/// </summary>
public sealed class NestingDepthTests
{
    private const int Levels = 600; // past ListingDocument.MaxNestingDepth (512)
    private static readonly Uri Address = new("https://www.example.coop/news/");

    private static string Page(string body) => $"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>";

    private static string Repeat(string markup, int times) => string.Concat(Enumerable.Repeat(markup, times));

    /// <summary>The depth AngleSharp builds, parsed directly (not through ListingDocument, which would refuse it).</summary>
    private static async Task<int> ParsedDepthAsync(string html)
    {
        using var document = await BrowsingContext.New(Configuration.Default).OpenAsync(r => r.Content(html), CancellationToken.None);
        return document.All.Max(e => e.Ancestors<IElement>().Count() + 1);
    }

    public static TheoryData<string, string> HostilePages => new()
    {
        { "nested divs", Repeat("<div>", Levels) },
        { "self-closing divs, which HTML does not close", Repeat("<div/>", Levels) },
        { "unclosed spans", Repeat("<span>x", Levels) },
        { "nested lists", Repeat("<ul><li>", Levels) },
        { "nested tables", Repeat("<table><tr><td>", Levels / 3) },
        { "divs after breaking out of svg", "<svg>" + Repeat("<div/>", Levels) },
        { "HTML inside svg's foreignObject", "<svg><foreignObject>" + Repeat("<section/>", Levels) },
        { "svg elements, which nest unless self-closed", "<svg>" + Repeat("<g>", Levels) },
        { "svg's title, which is no raw text", "<svg><title>" + Repeat("<div>", Levels) },
        { "uppercase tags with attributes holding '>'", Repeat("<DIV title=\"a > b\" data-x='>'>", Levels) },
    };

    [Theory]
    [MemberData(nameof(HostilePages))]
    public async Task APageNestedPastTheLimitIsRefusedBeforeParsing(string what, string body)
    {
        var html = Page(body);

        Assert.True(await ParsedDepthAsync(html) >= ListingDocument.MaxNestingDepth, $"{what}: the parser does not nest it");
        var refusal = ListingDocument.CheckNesting(Encoding.UTF8.GetBytes(html), "text/html");
        Assert.NotNull(refusal);
        Assert.StartsWith("page too deeply nested", refusal);
    }

    public static TheoryData<string, string> FlatPages => new()
    {
        { "unclosed list items", "<ul>" + Repeat("<li><a href=\"/x\">item</a>", 3000) + "</ul>" },
        { "unclosed paragraphs with unclosed spans", Repeat("<p><span>text", 3000) },
        { "unclosed cells holding unclosed spans", "<table>" + Repeat("<tr><td><span>x<td><div>y", 3000) + "</table>" },
        { "tables ended inside an unclosed cell", Repeat("<div><table><tr><td><span>x</table></div>", 3000) },
        { "unclosed links", Repeat("<a href=\"/x\">x", 3000) },
        { "unclosed definition and option lists", "<dl>" + Repeat("<dt>t<dd>d", 3000) + "</dl><select>" + Repeat("<option>o", 3000) + "</select>" },
        { "tags in scripts, styles, comments and attribute values", Repeat("<script>document.write('<div>')</script><style>a{content:'<div>'}</style><!-- <div> --><img alt=\"<div>\">", 3000) },
        { "self-closed svg shapes", "<svg>" + Repeat("<path d=\"M0 0\"/>", 3000) + "</svg>" },
        { "void elements", Repeat("<br><img src=\"a.png\"><input><hr>", 3000) },
    };

    [Theory]
    [MemberData(nameof(FlatPages))]
    public async Task AFlatPageIsAcceptedHoweverManyElementsItLeavesOpen(string what, string body)
    {
        var html = Page(body);

        Assert.True(await ParsedDepthAsync(html) < 20, $"{what}: the parser nests it");
        Assert.Null(ListingDocument.CheckNesting(Encoding.UTF8.GetBytes(html), "text/html"));
    }

    [Fact]
    public void AUtf16PageIsMeasuredAsItWillBeDecoded()
    {
        var html = Page(Repeat("<div>", Levels));
        byte[] withBom = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(html)];

        Assert.NotNull(ListingDocument.CheckNesting(withBom, "text/html"));
        Assert.NotNull(ListingDocument.CheckNesting(Encoding.BigEndianUnicode.GetBytes(html), "text/html; charset=utf-16be"));
    }

    [Fact]
    public async Task ParsingARefusedPageThrowsInsteadOfParsingIt()
    {
        var bytes = Encoding.UTF8.GetBytes(Page(Repeat("<div>", 100_000)));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            ListingDocument.ParseAsync(new MemoryStream(bytes), Address, "text/html", CancellationToken.None));
        Assert.StartsWith("page too deeply nested", error.Message);
    }

    [Fact]
    public async Task TheAddressAPageIsParsedWithHasNoCredentials()
    {
        using var document = await ListingDocument.ParseAsync(
            Page("<a href=\"item.html\">x</a>"), new Uri("https://reader:s3cret@www.example.coop/news/?token=t0k"), CancellationToken.None);

        Assert.Equal("https://www.example.coop/news/", document.Url);
        Assert.Equal("https://www.example.coop/news/item.html", ((AngleSharp.Html.Dom.IHtmlAnchorElement)document.QuerySelector("a")!).Href);
    }
}
