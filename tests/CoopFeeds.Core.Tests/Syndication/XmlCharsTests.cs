using System.Xml;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Syndication;
using CoopFeeds.Core.Tests.Normalization;
using FsCheck.Xunit;

namespace CoopFeeds.Core.Tests.Syndication;

public sealed class XmlCharsTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("tab\tLF\nCR\r kept", "tab\tLF\nCR\r kept")]
    [InlineData("a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg", "abcdefg")]
    [InlineData("x\uFFFEy\uFFFFz", "xyz")]
    [InlineData("pair 🧑‍🌾 kept", "pair 🧑‍🌾 kept")]
    [InlineData("\uE000\uFFFD private and replacement kept", "\uE000\uFFFD private and replacement kept")]
    [InlineData("C1 \u007F\u0080\u0084\u0086\u009F and \uFDD0\uFDEF dropped, NEL \u0085 kept", "C1  and  dropped, NEL \u0085 kept")]
    [InlineData("\U0001FFFE\U0010FFFF plane ends dropped, \U0001FFFD kept", " plane ends dropped, \U0001FFFD kept")]
    [InlineData("", "")]
    public void CleanKeepsExactlyTheCharactersAFeedMayCarry(string input, string expected) =>
        Assert.Equal(expected, XmlChars.Clean(input));

    [Fact]
    public void CleanDropsUnpairedSurrogatesAndKeepsPairs()
    {
        // Not InlineData: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        (string Input, string Expected)[] cases =
        [
            ("lone \uD800high", "lone high"),
            ("lone \uDC00low", "lone low"),
            ("reversed \uDC00\uD800pair", "reversed pair"),
            ("trailing high \uD800", "trailing high "),
            ("\uD800\uD800\uDC00 double high", "\uD800\uDC00 double high"),
            ("pair \uD83E\uDDD1 kept", "pair \uD83E\uDDD1 kept"),
        ];

        Assert.All(cases, c => Assert.Equal(c.Expected, XmlChars.Clean(c.Input)));
    }

    [Fact]
    public void CleanTurnsNullIntoEmpty() => Assert.Equal("", XmlChars.Clean(null));

    [Fact]
    public void CleanReturnsTheSameInstanceWhenNothingIsForbidden()
    {
        var clean = "Coopératives & co 🧑‍🌾";
        Assert.Same(clean, XmlChars.Clean(clean));
    }

    [Fact]
    public void EveryUtf16UnitIsKeptByCleanExactlyWhenXmlAllowsAndDoesNotDiscourageIt()
    {
        // The reference is .NET's own XML 1.0 Char test, less the controls and non-characters §2.2 discourages.
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var s = ((char)c).ToString();
            var discouraged = c is (>= 0x7F and <= 0x84) or (>= 0x86 and <= 0x9F) or (>= 0xFDD0 and <= 0xFDEF);
            var kept = XmlConvert.IsXmlChar((char)c) && !discouraged;
            Assert.True(kept == (XmlChars.Clean(s) == s), $"U+{c:X4}: kept={kept}");
        }
    }

    [Fact]
    public void CleanDropsTheLastTwoCodePointsOfEveryPlane()
    {
        for (var plane = 0; plane <= 0x10; plane++)
        {
            var last = (plane << 16) | 0xFFFF;
            Assert.Equal("", XmlChars.Clean(char.ConvertFromUtf32(last)));
            Assert.Equal("", XmlChars.Clean(char.ConvertFromUtf32(last - 1)));
            var below = char.ConvertFromUtf32(last - 2);
            Assert.Same(below, XmlChars.Clean(below));
        }
    }

}

/// <summary>What cleaning promises for any string, lone surrogates and markup included.</summary>
[Properties(Arbitrary = [typeof(MessyStrings)], MaxTest = 500)]
public sealed class XmlCharsProperties
{
    [Property]
    public bool CleanedTextPassesXmlConvert(string text) => XmlCheck.HasOnlyXmlChars(XmlChars.Clean(text));

    [Property]
    public bool CleaningTwiceGivesTheSameInstance(string text)
    {
        var once = XmlChars.Clean(text);
        return ReferenceEquals(XmlChars.Clean(once), once);
    }

    [Property]
    public bool CleaningOnlyRemovesWholeCharacters(string text)
    {
        // The output is the input's characters in order, less some: nothing added, replaced or split.
        var clean = XmlChars.Clean(text);
        var input = Runes(text);
        var at = 0;
        foreach (var rune in Runes(clean))
        {
            while (at < input.Count && input[at] != rune)
            {
                at++;
            }

            if (at++ == input.Count)
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public bool NormalizedTextNeedsNoFurtherCleaning(string text)
    {
        // Normalization and the writers apply one rule: what normalization keeps, the writers keep as is.
        var normalized = TextCleaner.Normalize(text);
        return ReferenceEquals(XmlChars.Clean(normalized), normalized);
    }

    /// <summary>The code points of a string, a lone surrogate as itself.</summary>
    private static List<int> Runes(string text)
    {
        var runes = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var paired = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            runes.Add(paired ? char.ConvertToUtf32(text[i], text[++i]) : text[i]);
        }

        return runes;
    }
}
