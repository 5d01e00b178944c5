using System.Text.Encodings.Web;

namespace CoopFeeds.Serving.Pages;

/// <summary>
/// The framework's HTML encoder, except that it leaves <c>+</c> as it is. The default encodes it (<c>&amp;#x2B;</c>) only
/// as a defence for pages a browser might read as UTF-7; every page here says UTF-8 in its header and its head. Left as it
/// is, a media type in an attribute reads as written — <c>type="application/rss+xml"</c> — which feed readers that
/// discover feeds by matching that text need (RSS autodiscovery, checklist 8.1). Everything else is encoded as before.
/// </summary>
public sealed class PageHtmlEncoder : HtmlEncoder
{
    public static readonly PageHtmlEncoder Instance = new();

    private static readonly HtmlEncoder Inner = Default;

    private PageHtmlEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => Inner.MaxOutputCharactersPerInputCharacter;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar != '+' && Inner.WillEncode(unicodeScalar);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        var start = 0;
        while (start < textLength)
        {
            var found = Inner.FindFirstCharacterToEncode(text + start, textLength - start);
            if (found < 0) return -1;
            if (text[start + found] != '+') return start + found;
            start += found + 1;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (unicodeScalar != '+') return Inner.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);
        numberOfCharactersWritten = bufferLength > 0 ? 1 : 0;
        if (bufferLength == 0) return false;
        buffer[0] = '+';
        return true;
    }
}
