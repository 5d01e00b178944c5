using AngleSharp;
using AngleSharp.Dom;

namespace CoopFeeds.Core.Extraction;

/// <summary>
/// Turns fetched bytes into a DOM the way a browser would: the address anchors relative links,
/// the charset comes from the Content-Type header, a BOM or a &lt;meta&gt;. AngleSharp never fetches anything here.
/// </summary>
public static class ListingDocument
{
    // No loaders and no scripting: parsing a listing must never reach the network.
    private static readonly IConfiguration Configuration = AngleSharp.Configuration.Default;

    public static async Task<IDocument> ParseAsync(Stream content, Uri address, string? contentType, CancellationToken cancellationToken)
    {
        var context = BrowsingContext.New(Configuration);
        return await context.OpenAsync(response =>
        {
            // The absolute string: Address(Uri) keeps a file URI's OriginalString ("/path/page.html"), which AngleSharp reads as relative.
            response.Content(content, shouldDispose: false).Address(address.AbsoluteUri);
            if (!string.IsNullOrWhiteSpace(contentType)) response.Header("Content-Type", contentType);
        }, cancellationToken);
    }

    public static Task<IDocument> ParseAsync(string html, Uri address, CancellationToken cancellationToken) =>
        ParseAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(html)), address, "text/html; charset=utf-8", cancellationToken);
}
