using System.Text.Json;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core.Tests.Syndication;

/// <summary>Reads the writers' output with feedparser and validates Atom with jing (see <see cref="RealParsers"/>).</summary>
public sealed class RealParserTests
{
    private const string RssType = Rss20Writer.MediaType + "; charset=utf-8";
    private const string AtomType = Atom10Writer.MediaType + "; charset=utf-8";

    public static TheoryData<string> Documents => ["section", "hub", "archive", "empty"];

    /// <summary>Every hostile string but the 300 000-character one, which only slows the external tools down.</summary>
    public static TheoryData<int> HostileStrings()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < SampleFeeds.HostileStrings.Length; i++)
        {
            if (SampleFeeds.HostileStrings[i].Length < 10_000)
            {
                data.Add(i);
            }
        }

        return data;
    }

    private static FeedDocument Document(string name, string extension) => name switch
    {
        "section" => SampleFeeds.Section(extension),
        "hub" => SampleFeeds.SectionWithHub(extension),
        "archive" => SampleFeeds.Archive(extension),
        "empty" => SampleFeeds.Section(extension) with { Entries = [], Description = "" },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [ExternalToolTheory]
    [MemberData(nameof(Documents))]
    public void FeedparserReadsRssEntriesAsWritten(string name)
    {
        var feed = Document(name, "rss");
        var summary = RealParsers.FeedParser(new Rss20Writer().Write(feed), RssType, "rss20", feed.SelfUrl);

        Assert.Equal(feed.Title, summary.GetProperty("title").GetString());
        Assert.Equal(feed.HtmlUrl.AbsoluteUri, summary.GetProperty("link").GetString());
        AssertEntries(feed, summary);
    }

    [ExternalToolTheory]
    [MemberData(nameof(Documents))]
    public void FeedparserReadsAtomEntriesAsWritten(string name)
    {
        var feed = Document(name, "atom");
        var summary = RealParsers.FeedParser(new Atom10Writer().Write(feed), AtomType, "atom10", feed.SelfUrl);

        Assert.Equal(feed.Title, summary.GetProperty("title").GetString());
        Assert.Equal(feed.HtmlUrl.AbsoluteUri, summary.GetProperty("link").GetString());
        AssertEntries(feed, summary);
    }

    [ExternalToolTheory]
    [MemberData(nameof(Documents))]
    public void AtomMatchesTheRfc4287Schema(string name) =>
        RealParsers.AssertValidAtom(new Atom10Writer().Write(Document(name, "atom")));

    [ExternalToolFact]
    public void AtomEntriesWithoutLinksMatchTheSchema()
    {
        // RFC 4287 §4.1.2 (enforced by the schema's rules): no alternate link means content is required.
        var feed = SampleFeeds.Section("atom");
        var bare = feed with { Entries = feed.Entries.Select(e => e with { Link = null }).ToList() };

        RealParsers.AssertValidAtom(new Atom10Writer().Write(bare));
        var summary = RealParsers.FeedParser(new Atom10Writer().Write(bare), AtomType, "atom10", bare.SelfUrl);
        AssertEntries(bare, summary);
    }

    [ExternalToolTheory]
    [MemberData(nameof(HostileStrings))]
    public void HostileStringsLeaveBothXmlFormatsReadable(int hostileIndex)
    {
        var hostile = SampleFeeds.HostileStrings[hostileIndex];
        var rss = SampleFeeds.Hostile("rss", hostile);
        var atom = SampleFeeds.Hostile("atom", hostile);
        var atomBytes = new Atom10Writer().Write(atom);

        // feedparser interprets markup in titles its own way, so identity and dates are what must survive here.
        AssertIds(rss, RealParsers.FeedParser(new Rss20Writer().Write(rss), RssType, "rss20", rss.SelfUrl));
        AssertIds(atom, RealParsers.FeedParser(atomBytes, AtomType, "atom10", atom.SelfUrl));
        RealParsers.AssertValidAtom(atomBytes);
    }

    private static void AssertEntries(FeedDocument feed, JsonElement summary)
    {
        var entries = summary.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(feed.Entries.Count, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(feed.Entries[i].Title, entries[i].GetProperty("title").GetString());
            var link = Text(entries[i], "link");
            if (feed.Entries[i].Link is null && link == feed.Entries[i].Id)
            {
                // feedparser offers an Atom entry's id as its link when the entry has none; nothing we wrote.
                continue;
            }

            FeedAssert.SameLink(feed.Entries[i].Link, link);
        }

        AssertIds(feed, summary);
    }

    private static void AssertIds(FeedDocument feed, JsonElement summary)
    {
        var entries = summary.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(feed.Entries.Select(e => e.Id), entries.Select(e => Text(e, "id")));
        Assert.Equal(
            feed.Entries.Select(e => e.Published.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
            entries.Select(e => Text(e, "published")));
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
