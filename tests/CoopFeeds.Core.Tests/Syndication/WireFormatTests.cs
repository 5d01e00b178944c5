using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core.Tests.Syndication;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData("https://www.ilo.org/resource/news?id=1&x=2", "https://www.ilo.org/resource/news?id=1&x=2")]
    [InlineData("https://bücher.example:8443/a b?q=é#frag", "https://xn--bcher-kva.example:8443/a%20b?q=%C3%A9#frag")]
    [InlineData("https://coopératives.example/actualités", "https://xn--coopratives-ebb.example/actualit%C3%A9s")]
    [InlineData("http://[::1]:8080/feeds/news.rss", "http://[::1]:8080/feeds/news.rss")]
    [InlineData("http://127.0.0.1/x", "http://127.0.0.1/x")]
    public void UrisAreWrittenAsAbsoluteAsciiUris(string input, string expected) =>
        Assert.Equal(expected, WireFormat.Uri(new Uri(input)));

    [Fact]
    public void DatesAreUtcInBothSpellings()
    {
        var instant = new DateTimeOffset(2024, 2, 29, 23, 59, 59, 999, TimeSpan.FromHours(-5)).AddTicks(1234);

        Assert.Equal("Fri, 01 Mar 2024 04:59:59 GMT", WireFormat.Rfc822(instant));
        Assert.Equal("2024-03-01T04:59:59Z", WireFormat.Rfc3339(instant));
    }

    [Fact]
    public void EarlyYearsKeepFourDigits()
    {
        var instant = new DateTimeOffset(999, 1, 5, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("Sat, 05 Jan 0999 00:00:00 GMT", WireFormat.Rfc822(instant));
        Assert.Equal("0999-01-05T00:00:00Z", WireFormat.Rfc3339(instant));
    }
}
