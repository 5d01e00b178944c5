using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Tests.Normalization;

public sealed class TextCleanerTests
{
    [Theory]
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")] // left over by a page that double-encodes
    [InlineData("Tom &amp;amp; Jerry", "Tom &amp; Jerry")] // decoded exactly once
    [InlineData("Tom & Jerry", "Tom & Jerry")]
    [InlineData("&eacute;t&eacute; &#8211; &#x2014;", "été – —")]
    [InlineData("  Cooperatives\n\t in   2021 ", "Cooperatives in 2021")]
    [InlineData("a\u00A0\u00A0b", "a b")]
    [InlineData("\u2003a\u3000b\u202F\u2028c\u0085", "a b c")]
    [InlineData("a&nbsp;b", "a b")]
    [InlineData("co\u00ADop", "coop")]
    [InlineData("a\u200Bb\u2060c\uFEFF", "abc")]
    [InlineData("\u200Dab\u200C", "ab")] // joiners at an edge are noise
    [InlineData("a \u200C b", "a b")]
    [InlineData("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645")] // Persian ZWNJ inside a word is spelling
    [InlineData("\U0001F468\u200D\U0001F469\u200D\U0001F467", "\U0001F468\u200D\U0001F469\u200D\U0001F467")] // emoji ZWJ sequence
    [InlineData("\u202Eevil\u202C title", "evil title")] // unterminated overrides would leak into the reader
    [InlineData("\u2067abc\u2069", "abc")]
    [InlineData("\u05E9\u05DC\u05D5\u05DD\u200F!", "\u05E9\u05DC\u05D5\u05DD\u200F!")] // RLM kept
    [InlineData("a\u0001b\u0007c\u001Fd", "abcd")]
    [InlineData("a&#1;b", "ab")]
    [InlineData("a\u007Fb\u0090c", "abc")]
    [InlineData("a\uFFFEb\uFFFFc\uFDD0d", "abcd")]
    [InlineData("a\U0001FFFEb\U0010FFFFc", "abc")] // the last two code points of every plane, not only the first
    [InlineData("\U0001F600 ok", "\U0001F600 ok")]
    [InlineData("a\tb\r\nc", "a b c")]
    [InlineData("a ]]> b", "a ]]> b")] // the writers escape; the text stays as the page said
    [InlineData("<b>not markup</b>", "<b>not markup</b>")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void CleansTextFields(string? text, string expected) =>
        Assert.Equal(expected, TextCleaner.Clean(text));

    [Fact]
    public void UnpairedSurrogatesAreRemoved()
    {
        // Built at run time: attribute arguments cannot carry lone surrogates (metadata stores them as UTF-8).
        var text = string.Concat("a", "\uD800", "b", "\uDC00", "c", "\uDBFF");

        Assert.Equal("abc", TextCleaner.Clean(text));
        Assert.Equal("\U0001F600", TextCleaner.Clean("\uD83D\uDE00"));
    }

    [Fact]
    public void NormalizeDoesNotDecodeEntities() =>
        Assert.Equal("Tom &amp; Jerry", TextCleaner.Normalize(" Tom &amp;\u00A0Jerry "));

    [Fact]
    public void RemoveXmlForbiddenKeepsWhitespaceAndReturnsCleanInputAsIs()
    {
        const string clean = "a\tb\nc\r d\u00A0e \U0001F600";

        Assert.Same(clean, TextCleaner.RemoveXmlForbidden(clean));
        Assert.Equal("a\tb", TextCleaner.RemoveXmlForbidden("a\u0000\t\uFFFFb\uDBFF"));
    }

    [Theory]
    [InlineData("Cooperatives grow across Europe", 100, "Cooperatives grow across Europe")]
    [InlineData("Cooperatives grow across Europe", 31, "Cooperatives grow across Europe")]
    [InlineData("Cooperatives grow across Europe", 30, "Cooperatives grow across…")]
    [InlineData("Cooperatives grow across Europe", 19, "Cooperatives grow…")]
    [InlineData("Cooperatives grow across Europe", 10, "Cooperati…")] // no space in the second half: cut in the word
    [InlineData("Cooperatives", 1, "…")]
    [InlineData("a\U0001F600\U0001F600", 3, "a…")] // never half an emoji
    public void TruncateCutsOnAWordWithAnEllipsisWithinTheLimit(string text, int max, string expected)
    {
        var cut = TextCleaner.Truncate(text, max);

        Assert.Equal(expected, cut);
        Assert.True(cut.Length <= max);
    }
}
