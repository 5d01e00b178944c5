using System.Text;
using CoopFeeds.Core.Extraction;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>Bytes become the text a browser would show: the charset from the header, a BOM, a meta, or the legacy fallback.</summary>
public sealed class ListingDocumentTests
{
    private static readonly Uri Address = new("https://www.example.coop/news/");
    private const string Text = "Caf\u00e9 l\u2019\u00e9t\u00e9 \u2026 \u20ac";

    static ListingDocumentTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static byte[] Windows1252(string html) => Encoding.GetEncoding(1252).GetBytes(html);

    /// <summary>The first paragraph's text, which the page reads the same whether it is parsed from a stream or in place.</summary>
    private static async Task<string?> ParagraphAsync(byte[] bytes, string? contentType)
    {
        using var streamed = await ListingDocument.ParseAsync(new MemoryStream(bytes), Address, contentType, CancellationToken.None);
        using var inPlace = await ListingDocument.ParseAsync(bytes, Address, contentType, CancellationToken.None);
        Assert.Equal(streamed.QuerySelector("p")?.TextContent, inPlace.QuerySelector("p")?.TextContent);
        return inPlace.QuerySelector("p")?.TextContent;
    }

    [Theory]
    [InlineData("<meta charset=\"windows-1252\">")]
    [InlineData("<meta charset=\"ISO-8859-1\">")] // the label means windows-1252 (WHATWG Encoding)
    [InlineData("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">")]
    [InlineData("")] // declared nowhere and not UTF-8: what browsers in Western locales fall back to
    public async Task Windows1252BytesReadRightWhateverDeclaresThem(string meta)
    {
        var bytes = Windows1252($"<html><head>{meta}</head><body><p>{Text}</p></body></html>");

        Assert.Equal(Text, await ParagraphAsync(bytes, "text/html"));
    }

    [Fact]
    public async Task UndeclaredUtf8StaysUtf8()
    {
        var bytes = Encoding.UTF8.GetBytes($"<html><body><p>{Text}</p></body></html>");

        Assert.Equal(Text, await ParagraphAsync(bytes, null));
    }

    [Fact]
    public async Task TheHeadersCharsetWinsOverTheMeta()
    {
        var bytes = Encoding.UTF8.GetBytes($"<html><head><meta charset=\"windows-1252\"></head><body><p>{Text}</p></body></html>");

        Assert.Equal(Text, await ParagraphAsync(bytes, "text/html; charset=\"UTF-8\""));
    }

    [Fact]
    public async Task AByteOrderMarkWinsOverTheMeta()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"<html><head><meta charset=\"windows-1252\"></head><body><p>{Text}</p></body></html>")];

        Assert.Equal(Text, await ParagraphAsync(bytes, "text/html"));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("application/xhtml+xml; charset=utf-8")]
    public async Task AListingMislabelledByItsServerIsStillReadAsHtml(string contentType)
    {
        var bytes = Encoding.UTF8.GetBytes($"<html><body><p>{Text}</p></body></html>");

        Assert.Equal(Text, await ParagraphAsync(bytes, contentType));
    }
}
