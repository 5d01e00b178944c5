using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using CoopFeeds.Core.Syndication;
using FsCheck.Xunit;

namespace CoopFeeds.Core.Tests.Syndication;

/// <summary>What all three writers promise: same document, same bytes; hostile strings never break the output; bad documents are refused whole.</summary>
public sealed class FeedWriterContractTests
{
    public static readonly TheoryData<string> Formats = ["rss", "atom", "json"];

    public static TheoryData<string, int> FormatsAndHostileStrings()
    {
        var data = new TheoryData<string, int>();
        foreach (var format in new[] { "rss", "atom", "json" })
        {
            for (var i = 0; i < SampleFeeds.HostileStrings.Length; i++)
            {
                data.Add(format, i);
            }
        }

        return data;
    }

    internal static byte[] Write(string format, FeedDocument feed) => format switch
    {
        "rss" => new Rss20Writer().Write(feed),
        "atom" => new Atom10Writer().Write(feed),
        "json" => new JsonFeedWriter().Write(feed),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>The feed title and every entry title as a reader gets them back.</summary>
    private static (string Feed, List<string> Entries) ReadTitles(string format, byte[] bytes)
    {
        if (format == "json")
        {
            using var json = JsonDocument.Parse(bytes);
            return (json.RootElement.GetProperty("title").GetString()!,
                json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList());
        }

        var xml = FeedXml.Parse(bytes);
        return format == "rss"
            ? (xml.Root!.Element("channel")!.Element("title")!.Value,
                xml.Descendants("item").Select(i => i.Element("title")!.Value).ToList())
            : (xml.Root!.Element(FeedXml.Atom + "title")!.Value,
                xml.Root.Elements(FeedXml.Atom + "entry").Select(e => e.Element(FeedXml.Atom + "title")!.Value).ToList());
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void SameDocumentGivesTheSameBytes(string format)
    {
        var first = Write(format, SampleFeeds.Archive(format));
        var again = Write(format, SampleFeeds.Archive(format));
        var twice = Write(format, SampleFeeds.Archive(format));

        Assert.Equal(first, again);
        Assert.Equal(first, twice);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void OnlyTheDocumentsOwnDatesAreWritten(string format)
    {
        // The writers never read the clock: every date in the output is one the document carries.
        var feed = SampleFeeds.Section(format);
        var known = feed.Entries.SelectMany(e => new[] { e.Published, e.Updated }).Append(feed.Updated)
            .Select(d => d.UtcDateTime).ToHashSet();
        var text = Encoding.UTF8.GetString(Write(format, feed));

        var written = System.Text.RegularExpressions.Regex.Matches(text, @"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z|\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} Z")
            .Select(m => DateTimeOffset.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime)
            .ToList();
        Assert.NotEmpty(written);
        Assert.All(written, d => Assert.Contains(d, known));
    }

    [Theory]
    [InlineData("rss", "fr-FR")]
    [InlineData("rss", "th-TH")]
    [InlineData("rss", "ar-SA")]
    [InlineData("atom", "fr-FR")]
    [InlineData("atom", "th-TH")]
    [InlineData("atom", "fa-IR")]
    [InlineData("json", "fr-FR")]
    [InlineData("json", "th-TH")]
    public void CurrentCultureChangesNoByte(string format, string culture)
    {
        byte[] invariant;
        using (new CultureScope(""))
        {
            invariant = Write(format, SampleFeeds.Archive(format));
        }

        byte[] local;
        using (new CultureScope(culture))
        {
            local = Write(format, SampleFeeds.Archive(format));
        }

        Assert.Equal(Encoding.UTF8.GetString(invariant), Encoding.UTF8.GetString(local));
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("th-TH")]
    public void RssDatesStayEnglishAndGregorianUnderAnyCulture(string culture)
    {
        using var scope = new CultureScope(culture);
        var channel = FeedXml.Parse(new Rss20Writer().Write(SampleFeeds.Section("rss"))).Root!.Element("channel")!;

        Assert.Equal("Mon, 03 Nov 2025 07:30:00 Z", channel.Element("lastBuildDate")!.Value);
        Assert.All(channel.Descendants("pubDate").Select(p => p.Value), d => Assert.Matches(FeedXml.Rfc822Pattern, d));
        Assert.All(channel.Descendants("pubDate").Select(p => p.Value), d => Assert.Contains(" 2025 ", d));
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("th-TH")]
    public void AtomAndJsonDatesStayGregorianUnderAnyCulture(string culture)
    {
        using var scope = new CultureScope(culture);
        var atom = FeedXml.Parse(new Atom10Writer().Write(SampleFeeds.Section("atom"))).Root!;
        using var json = JsonDocument.Parse(new JsonFeedWriter().Write(SampleFeeds.Section("json")));

        Assert.Equal("2025-11-03T07:30:00Z", atom.Element(FeedXml.Atom + "updated")!.Value);
        Assert.Equal("2025-11-03T07:30:00Z", json.RootElement.GetProperty("items")[0].GetProperty("date_published").GetString());
    }

    [Theory]
    [InlineData("rss")]
    [InlineData("atom")]
    public void DatesAreWrittenInWholeSecondsOfUtc(string format)
    {
        // Both spellings drop the fraction and convert the offset, whatever instant the document carries, feed and entries alike
        // (JSON Feed has no feed date; its entry dates are WireFormat's, tested there).
        var offset = TimeSpan.FromHours(2);
        var updated = new DateTimeOffset(2025, 11, 3, 9, 31, 16, 999, offset).AddTicks(1234);
        var published = new DateTimeOffset(2025, 11, 3, 9, 30, 15, 999, offset);
        var feed = SampleFeeds.Section(format);
        var entries = feed.Entries.ToList();
        entries[0] = entries[0] with { Published = published, Updated = published };

        var text = Encoding.UTF8.GetString(Write(format, feed with { Updated = updated, Entries = entries }));

        var expected = format == "rss"
            ? new[] { "Mon, 03 Nov 2025 07:31:16 Z", "Mon, 03 Nov 2025 07:30:15 Z" }
            : ["2025-11-03T07:31:16Z", "2025-11-03T07:30:15Z"];
        Assert.All(expected, date => Assert.Contains(date, text, StringComparison.Ordinal));
        Assert.DoesNotContain("+02", text, StringComparison.Ordinal);
        Assert.DoesNotContain("999", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void InternationalFeedAddressesAreWrittenAsAsciiUris(string format)
    {
        // RSS wants URIs, not IRIs (profile §3.4), and the validator refuses a Unicode host in every format's links.
        var unicode = new Uri("https://flux-coopératifs.example/");
        var ascii = "https://" + unicode.IdnHost + "/";
        var feed = SampleFeeds.Archive(format) with
        {
            HtmlUrl = new Uri(unicode, "sections/actualités"),
            SelfUrl = new Uri(unicode, $"feeds/actualités/archive/2.{format}"),
            HubUrl = new Uri(unicode, "hub"),
            CurrentUrl = new Uri(unicode, $"feeds/actualités.{format}"),
            PrevArchiveUrl = new Uri(unicode, $"feeds/actualités/archive/1.{format}"),
            NextArchiveUrl = new Uri(unicode, $"feeds/actualités/archive/3.{format}"),
        };

        var text = Encoding.UTF8.GetString(Write(format, feed));

        Assert.DoesNotContain(unicode.Host, text, StringComparison.Ordinal);
        Assert.Contains(ascii + "sections/actualit%C3%A9s", text, StringComparison.Ordinal);
        Assert.Contains(ascii + $"feeds/actualit%C3%A9s/archive/2.{format}", text, StringComparison.Ordinal);
        Assert.Contains(ascii + "hub", text, StringComparison.Ordinal);
        if (format != "json")
        {
            // JSON Feed has no archive links; the XML formats carry all three RFC 5005 relations.
            Assert.Contains(ascii + $"feeds/actualit%C3%A9s.{format}", text, StringComparison.Ordinal);
            Assert.Contains(ascii + $"feeds/actualit%C3%A9s/archive/1.{format}", text, StringComparison.Ordinal);
            Assert.Contains(ascii + $"feeds/actualit%C3%A9s/archive/3.{format}", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(FormatsAndHostileStrings))]
    public void HostileStringsComeBackCleanedAndOtherwiseUnchanged(string format, int hostileIndex)
    {
        var hostile = SampleFeeds.HostileStrings[hostileIndex];
        var bytes = Write(format, SampleFeeds.Hostile(format, hostile));

        // Parsing is the validity check: the XML reader checks every character and refuses DTDs; JSON must parse too.
        var (feedTitle, entryTitles) = ReadTitles(format, bytes);
        var expected = XmlChars.Clean(hostile);
        Assert.Equal("T " + expected, feedTitle);
        Assert.All(entryTitles, t => Assert.EndsWith(" " + expected, t, StringComparison.Ordinal));
        AssertOnlyXmlCharacters(Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void MarkupInTitlesIsTextNotElements(string format)
    {
        var bytes = Write(format, SampleFeeds.Hostile(format, "Tom &amp; Jerry <b>x</b>"));

        var (feedTitle, _) = ReadTitles(format, bytes);
        Assert.Equal("T Tom &amp; Jerry <b>x</b>", feedTitle);
        if (format != "json")
        {
            Assert.DoesNotContain(FeedXml.Parse(bytes).Descendants(), e => e.Name.LocalName == "b");
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void SeededRandomUnicodeNeverBreaksTheOutput(string format)
    {
        // Every UTF-16 unit is fair game here, controls and lone surrogates included.
        var random = new Random(20251103);
        for (var round = 0; round < 50; round++)
        {
            var chars = new char[random.Next(1, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x40) : (char)random.Next(0, 0x10000);
            }

            var hostile = new string(chars);
            var bytes = Write(format, SampleFeeds.Hostile(format, hostile));
            var (feedTitle, _) = ReadTitles(format, bytes);
            Assert.Equal("T " + XmlChars.Clean(hostile), feedTitle);
        }
    }

    [Property(MaxTest = 300)]
    public bool GeneratedTitlesRoundTripThroughRssAndAtom(string title)
    {
        // Checklist 7.3: whatever a title holds, a strict parser reads back exactly the cleaned string.
        var feed = SampleFeeds.Section("rss") with { Title = "T " + title };
        var rss = ReadTitles("rss", new Rss20Writer().Write(feed)).Feed;
        var atom = ReadTitles("atom", new Atom10Writer().Write(feed)).Feed;
        var json = ReadTitles("json", new JsonFeedWriter().Write(feed)).Feed;
        var expected = "T " + XmlChars.Clean(title);
        return rss == expected && atom == expected && json == expected;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void DocumentMissingRequiredFieldsIsRefusedWithEveryProblemNamed(string format)
    {
        var feed = SampleFeeds.Section(format);
        var entries = feed.Entries.ToList();
        entries[1] = entries[1] with { Id = " ", Title = "\u0001" };
        entries[2] = entries[2] with { Id = entries[0].Id, Link = new Uri("mailto:someone@example.org") };
        entries[3] = entries[3] with { Published = default };
        var broken = feed with
        {
            Id = "news",
            Title = "",
            Author = "\uFFFE",
            HtmlUrl = new Uri("/sections/news", UriKind.Relative),
            Ttl = TimeSpan.Zero,
            IsArchive = true,
            Entries = entries,
        };

        var error = Assert.Throws<ArgumentException>(() => Write(format, broken));

        foreach (var named in new[]
                 {
                     "Id is not an absolute URI (news)", "Title is blank", "Author is blank", "HtmlUrl is not an absolute http(s) URL", "Ttl must be positive",
                     "CurrentUrl is required", "Entries[1].Id is blank", "Entries[1].Title is blank",
                     "Entries[2].Id repeats an earlier entry", "Entries[2].Link is not an absolute http(s) URL",
                     "Entries[3].Published is not set",
                 })
        {
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void EmptySectionIsStillAValidDocument(string format)
    {
        var bytes = Write(format, SampleFeeds.Section(format) with { Entries = [], Description = "" });

        var (feedTitle, entryTitles) = ReadTitles(format, bytes);
        Assert.Equal("News on cooperatives", feedTitle);
        Assert.Empty(entryTitles);
    }

    private static void AssertOnlyXmlCharacters(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            Assert.True(XmlConvert.IsXmlChar(text[i]), $"U+{(int)text[i]:X4} at {i}");
        }
    }
}
