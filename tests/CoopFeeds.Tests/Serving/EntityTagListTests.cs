using CoopFeeds.Serving;

namespace CoopFeeds.Tests.Serving;

/// <summary>RFC 9110 §13.1.2 If-None-Match, read without allocating: what matches a rendered document and what does not.</summary>
public sealed class EntityTagListTests
{
    private static readonly RenderedFeed Feed = new("<rss/>"u8.ToArray(), "application/rss+xml; charset=utf-8",
        DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(5), new Uri("https://feeds.example.org/feeds/news.rss"), hubUrl: null);

    private static string Tag => Feed.OpaqueTag;

    public static TheoryData<string, bool> Lists => new()
    {
        { "\"{0}\"", true },
        { "W/\"{0}\"", true },
        { "\"{0}-gzip\"", true },
        { "W/\"{0}-br\"", true },
        { "  \"{0}\"  ", true },
        { "\"a\", \"b\",\"{0}\"", true },
        { "\"a\",,\t\"{0}\"", true },
        { "\"with,comma\", \"{0}\"", true },
        { "*", true },
        { " * ", true },
        { "\"{0}x\"", false },
        { "\"x{0}\"", false },
        { "{0}", false },
        { "\"{0}", false },
        { "\"a\" \"{0}\"", false },
        { "\"a\", *", false },
        { "w/\"{0}\"", false },
        { "", false },
        { "\"\"", false },
        { "\"other\"", false },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void IfNoneMatchListMatchesOnlyThisDocumentsTags(string list, bool expected) =>
        Assert.Equal(expected, EntityTagList.Matches(string.Format(System.Globalization.CultureInfo.InvariantCulture, list, Tag), Feed));
}
