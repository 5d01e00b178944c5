using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// Removes the characters a feed cannot carry, so that a scraped string can never make a feed ill-formed.
/// </summary>
/// <remarks>
/// XML 1.0 §2.2 (production [2] Char) admits tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and paired surrogates only.
/// The rest cannot be escaped either: <c>&amp;#x1;</c> breaks the same rule (§4.1, WFC Legal Character),
/// so they are dropped, and so are the controls and non-characters §2.2 discourages, U+1FFFE and the like included.
/// The rule is <see cref="TextCleaner.RemoveXmlForbidden"/>'s, so that normalization and the writers agree on it:
/// normalization already cleans items; this is the writers' last line of defence.
/// </remarks>
public static class XmlChars
{
    /// <summary>Returns <paramref name="value"/> without forbidden characters ("" for null); the same instance when already clean.</summary>
    public static string Clean(string? value) =>
        string.IsNullOrEmpty(value) ? "" : TextCleaner.RemoveXmlForbidden(value);
}
