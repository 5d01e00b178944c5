using System.Xml;
using CoopFeeds.Core.Syndication;

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
    [InlineData("", "")]
    public void CleanKeepsExactlyTheXml10Characters(string input, string expected) =>
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
    public void EveryUtf16UnitIsEitherKeptByCleanOrRefusedByXmlConvert()
    {
        // The reference is .NET's own XML 1.0 Char test: Clean must agree with it for every single unit.
        for (var c = 0; c <= char.MaxValue; c++)
        {
            var s = ((char)c).ToString();
            var legal = XmlConvert.IsXmlChar((char)c);
            Assert.True(legal == (XmlChars.Clean(s) == s), $"U+{c:X4}: legal={legal}");
        }
    }
}
