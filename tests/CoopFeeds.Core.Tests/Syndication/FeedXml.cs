using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace CoopFeeds.Core.Tests.Syndication;

/// <summary>Reads writer output back the strict way: no DTD, every character checked, namespaces enforced.</summary>
internal static class FeedXml
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace History = "http://purl.org/syndication/history/1.0";

    public const string Declaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

    /// <summary>
    /// RSS profile §3.2 / checklist 1.8: English weekday and month, two-digit day, four-digit year, UTC as "Z"
    /// (RFC 822 §5.1's military zone for UT, the formatter's only spelling of it).
    /// </summary>
    public const string Rfc822Pattern =
        @"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} Z$";

    /// <summary>RFC 3339 §5.6 date-time in UTC, whole seconds (what the writers promise).</summary>
    public const string Rfc3339Pattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$";

    public static XDocument Parse(byte[] bytes)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            CheckCharacters = true,
            XmlResolver = null,
        };
        using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
        return XDocument.Load(reader, LoadOptions.None);
    }

    /// <summary>The document starts with the UTF-8 declaration and no byte order mark (XML 1.0 §4.3.3; checklist 7.1).</summary>
    public static void AssertUtf8Declaration(byte[] bytes)
    {
        Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), "output starts with a UTF-8 BOM");
        Assert.StartsWith(Declaration + "\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    /// <summary>Checklist 7.9: namespace declarations only on the root element.</summary>
    public static void AssertNamespacesOnlyOnRoot(XDocument document)
    {
        var below = document.Root!.Descendants()
            .SelectMany(e => e.Attributes())
            .Where(a => a.IsNamespaceDeclaration)
            .Select(a => $"{a.Parent!.Name}: {a}")
            .ToList();
        Assert.Empty(below);
    }
}

/// <summary>Assertions shared by the three formats' tests.</summary>
internal static class FeedAssert
{
    /// <summary>The written link is the entry's link as an absolute ASCII URI (IDN host, escaped path), or absent with it.</summary>
    public static void SameLink(Uri? expected, string? written)
    {
        if (expected is null)
        {
            Assert.Null(written);
            return;
        }

        Assert.NotNull(written);
        Assert.True(written.All(char.IsAscii), $"not ASCII: {written}");
        var actual = new Uri(written, UriKind.Absolute);
        Assert.Equal(expected.Scheme, actual.Scheme);
        Assert.Equal(expected.IdnHost, actual.Host);
        Assert.Equal(expected.PathAndQuery, actual.PathAndQuery);
    }
}
