using System.Net;
using System.Text;

namespace CoopFeeds.Core.Normalization;

/// <summary>
/// Turns text read from a page into the one-line, XML-safe text an <see cref="Item"/> carries:
/// title, category, group and the plain-text summary.
/// </summary>
/// <remarks>
/// What goes and why:
/// <list type="bullet">
/// <item>Every whitespace character (tab, newlines, NBSP, the U+2000 spaces, U+3000, line and paragraph
/// separators) becomes one space; the result is trimmed.</item>
/// <item>Invisible characters that only make two equal-looking strings differ: U+200B zero-width space,
/// U+2060 word joiner, U+FEFF byte-order mark, U+00AD soft hyphen.</item>
/// <item>U+200C zero-width non-joiner and U+200D zero-width joiner are kept <em>between two visible
/// characters</em> and dropped elsewhere: inside a word they are spelling (Persian, the Indic scripts) or
/// part of an emoji sequence, and removing them there changes the text; at an edge or next to a space they
/// are only noise.</item>
/// <item>Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are dropped: one left
/// unterminated reorders whatever a feed reader renders after the field, which is a spoofing vector.
/// The marks U+200E, U+200F and U+061C are kept: they open no scope and are needed to place neutral
/// characters in right-to-left text.</item>
/// <item>Everything XML 1.0 forbids (§2.2 Char: C0 controls other than tab/LF/CR, U+FFFE, U+FFFF, unpaired
/// surrogates), and the controls and non-characters §2.2 discourages (U+007F–U+0084, U+0086–U+009F,
/// U+FDD0–U+FDEF and the last two code points of every plane, U+1FFFE and U+10FFFF as well as U+FFFE): the
/// writers emit XML, and one forbidden character makes a whole feed unreadable. The discouraged ones parse, but
/// they are never text a reader should see, and XML 1.1 (§2.2 RestrictedChar) and strict validators refuse them raw.
/// This is the one rule for the characters a feed carries: <see cref="Syndication.XmlChars.Clean"/>, the writers'
/// last line of defence, applies it too.</item>
/// </list>
/// </remarks>
public static class TextCleaner
{
    /// <summary>
    /// Cleans text that came out of the DOM. Entities were decoded by the HTML parser already; any left
    /// (a page that double-encodes: <c>&amp;amp;amp;</c> arrives here as <c>&amp;amp;</c>) are decoded
    /// exactly once more, then the text is normalized as <see cref="Normalize"/> does.
    /// </summary>
    public static string Clean(string? text) =>
        string.IsNullOrEmpty(text) ? "" : Normalize(WebUtility.HtmlDecode(text));

    /// <summary>
    /// Normalizes text without decoding entities: for text whose only decoding is the HTML parser's,
    /// such as the plain text of a sanitized summary, which must read exactly as its HTML shows.
    /// </summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        if (IsNormalized(text))
        {
            return text; // most titles and categories: nothing to build
        }

        var output = new StringBuilder(text.Length);
        var pendingSpace = false;
        var hasJoiner = false;

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var low = text[++i];
                if (IsAllowedInXml(char.ConvertToUtf32(c, low)))
                {
                    AppendPendingSpace(output, ref pendingSpace);
                    output.Append(c).Append(low);
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                pendingSpace = output.Length > 0;
                continue;
            }

            if (IsJoiner(c))
            {
                // Kept for now; whether it sits between two visible characters is known only once the
                // characters after it have been cleaned (see remarks and RemoveStrayJoiners).
                if (output.Length > 0 && !pendingSpace)
                {
                    output.Append(c);
                    hasJoiner = true;
                }

                continue;
            }

            if (IsInvisibleNoise(c) || !IsAllowedInXml(c))
            {
                continue;
            }

            AppendPendingSpace(output, ref pendingSpace);
            output.Append(c);
        }

        return hasJoiner ? RemoveStrayJoiners(output) : output.ToString();
    }

    /// <summary>
    /// True when <see cref="Normalize"/> would return the text as it is: no whitespace but single spaces between other
    /// characters, and no character it drops or decides on in context (joiners, surrogates).
    /// </summary>
    private static bool IsNormalized(string text)
    {
        if (text[0] == ' ' || text[^1] == ' ')
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == ' ' ? text[i - 1] == ' ' : char.IsWhiteSpace(c) || char.IsSurrogate(c) || IsJoiner(c) || IsInvisibleNoise(c) || !IsAllowedInXml(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Removes only what XML 1.0 forbids or discourages (see remarks), keeping whitespace and everything
    /// else as is. For markup and attribute values, where whitespace is significant or harmless.
    /// </summary>
    public static string RemoveXmlForbidden(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        StringBuilder? output = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var keep = IsAllowedInXml(paired ? char.ConvertToUtf32(c, text[i + 1]) : c);
            var width = paired ? 2 : 1;

            if (!keep && output is null)
            {
                output = new StringBuilder(text.Length).Append(text, 0, i);
            }

            if (keep)
            {
                output?.Append(text, i, width);
            }

            i += width - 1;
        }

        return output?.ToString() ?? text;
    }

    /// <summary>
    /// Cuts cleaned one-line text to at most <paramref name="maxLength"/> characters, ellipsis included: at the last space
    /// that keeps at least half of what fits, else (one long word, or a script written without spaces) at the limit,
    /// never inside a surrogate pair. Text that fits is returned as it is.
    /// </summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var limit = maxLength - 1;
        return text[..CutPoint(text, limit, minKeep: limit / 2)].TrimEnd() + Ellipsis;
    }

    /// <summary>What a cut leaves at its end, so that a reader sees the text goes on.</summary>
    public const string Ellipsis = "…";

    /// <summary>
    /// How much of <paramref name="text"/> to keep so that at most <paramref name="limit"/> characters remain, ending on a
    /// word boundary (before a whitespace character) that keeps more than <paramref name="minKeep"/> characters, else at the
    /// limit itself, moved back off a high surrogate.
    /// </summary>
    public static int CutPoint(string text, int limit, int minKeep)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= limit)
        {
            return text.Length;
        }

        for (var i = limit; i > minKeep; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return limit > 0 && char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }

    /// <summary>True when the text holds no character that <see cref="RemoveXmlForbidden"/> would remove.</summary>
    public static bool IsXmlSafe(string text) => ReferenceEquals(RemoveXmlForbidden(text), text);

    private static void AppendPendingSpace(StringBuilder output, ref bool pendingSpace)
    {
        if (pendingSpace)
        {
            output.Append(' ');
            pendingSpace = false;
        }
    }

    private static bool IsJoiner(char c) => c is '\u200C' or '\u200D';

    /// <summary>Zero-width characters, the soft hyphen, and the scoped bidi controls (see remarks).</summary>
    private static bool IsInvisibleNoise(char c) =>
        c is '\u00AD' or '\u200B' or '\u2060' or '\uFEFF'
        or (>= '\u202A' and <= '\u202E')
        or (>= '\u2066' and <= '\u2069');

    /// <summary>
    /// Drops every joiner of the cleaned text that does not have a character other than a space or a joiner on
    /// each side. Decided on the cleaned text, so that cleaning twice gives the same result as cleaning once.
    /// </summary>
    private static string RemoveStrayJoiners(StringBuilder cleaned)
    {
        var text = cleaned.ToString();
        var output = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (IsJoiner(text[i]) && !(i > 0 && IsWordPart(text[i - 1]) && i + 1 < text.Length && IsWordPart(text[i + 1])))
            {
                continue;
            }

            output.Append(text[i]);
        }

        return output.ToString().Trim();
    }

    private static bool IsWordPart(char c) => c != ' ' && !IsJoiner(c);

    /// <summary>
    /// Whether a code point may appear in a feed (see remarks): XML 1.0 §2.2 Char without the controls and
    /// non-characters it discourages. A surrogate code point never may: only a pair, as the code point it encodes.
    /// </summary>
    private static bool IsAllowedInXml(int codePoint) => codePoint switch
    {
        '\t' or '\n' or '\r' => true,
        < 0x20 => false,
        (>= 0x7F and <= 0x84) or (>= 0x86 and <= 0x9F) => false,
        >= 0xD800 and <= 0xDFFF => false,
        >= 0xFDD0 and <= 0xFDEF => false,
        > 0x10FFFF => false,
        _ => (codePoint & 0xFFFE) != 0xFFFE, // U+FFFE and U+FFFF of every plane
    };
}
