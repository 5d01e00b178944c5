using System.Xml;

namespace CoopFeeds.Core.Syndication;

/// <summary>A subscription list: what <see cref="Opml20Writer"/> renders.</summary>
public sealed record OpmlDocument
{
    public required string Title { get; init; }

    /// <summary>The newest change among the listed feeds; written as head/dateModified (never the clock).</summary>
    public required DateTimeOffset Modified { get; init; }

    public string? OwnerName { get; init; }

    public required IReadOnlyList<OpmlFeed> Feeds { get; init; }
}

/// <summary>One feed outline: OPML 2.0 "Subscription lists".</summary>
public sealed record OpmlFeed
{
    public required string Title { get; init; }
    public required Uri XmlUrl { get; init; }
    public required Uri HtmlUrl { get; init; }
    public string? Description { get; init; }
    public string? Language { get; init; }

    /// <summary>OPML 2.0 outline version: "RSS" for RSS 2.0 (and the default for any feed, as readers take it); null to omit.</summary>
    public string? Version { get; init; } = "RSS";
}

/// <summary>Renders an <see cref="OpmlDocument"/> as OPML 2.0 (http://opml.org/spec2.opml), checklist 8.3–8.4.</summary>
/// <remarks>
/// head: title, dateModified (RFC 822, as in RSS), ownerName (no docs: the W3C validator does not know that element and warns). body: one <c>outline type="rss"</c> per feed with text and
/// title (the same; the validator asks for title on rss outlines), xmlUrl, htmlUrl, description, language and version.
/// </remarks>
public sealed class Opml20Writer
{
    /// <summary>OPML 2.0 note 8.</summary>
    public const string MediaType = "text/x-opml";

    public byte[] Write(OpmlDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(XmlChars.Clean(document.Title))) problems.Add("Title is blank");
        for (var i = 0; i < document.Feeds.Count; i++)
        {
            var feed = document.Feeds[i];
            if (string.IsNullOrWhiteSpace(XmlChars.Clean(feed.Title))) problems.Add($"Feeds[{i}].Title is blank");
            if (!feed.XmlUrl.IsAbsoluteUri) problems.Add($"Feeds[{i}].XmlUrl is not absolute");
            if (!feed.HtmlUrl.IsAbsoluteUri) problems.Add($"Feeds[{i}].HtmlUrl is not absolute");
        }
        if (problems.Count > 0) throw new ArgumentException("The OPML document cannot be written: " + string.Join("; ", problems) + ".", nameof(document));

        return XmlFeedOutput.Write(writer => WriteOpml(writer, document));
    }

    private static void WriteOpml(XmlWriter writer, OpmlDocument document)
    {
        writer.WriteStartElement("opml");
        writer.WriteAttributeString("version", "2.0");

        writer.WriteStartElement("head");
        XmlFeedOutput.Element(writer, "title", null, document.Title);
        XmlFeedOutput.Element(writer, "dateModified", null, WireFormat.Rfc822(document.Modified));
        if (!string.IsNullOrWhiteSpace(XmlChars.Clean(document.OwnerName)))
        {
            XmlFeedOutput.Element(writer, "ownerName", null, document.OwnerName);
        }

        writer.WriteEndElement();

        writer.WriteStartElement("body");
        foreach (var feed in document.Feeds)
        {
            WriteOutline(writer, feed);
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    /// <summary>OPML 2.0: type="rss" for every feed format, text required, xmlUrl required on rss outlines.</summary>
    private static void WriteOutline(XmlWriter writer, OpmlFeed feed)
    {
        writer.WriteStartElement("outline");
        XmlFeedOutput.Attribute(writer, "type", "rss");
        XmlFeedOutput.Attribute(writer, "text", feed.Title);
        XmlFeedOutput.Attribute(writer, "title", feed.Title);
        XmlFeedOutput.Attribute(writer, "xmlUrl", WireFormat.Uri(feed.XmlUrl));
        XmlFeedOutput.Attribute(writer, "htmlUrl", WireFormat.Uri(feed.HtmlUrl));
        if (!string.IsNullOrWhiteSpace(XmlChars.Clean(feed.Description)))
        {
            XmlFeedOutput.Attribute(writer, "description", feed.Description);
        }

        if (!string.IsNullOrWhiteSpace(XmlChars.Clean(feed.Language)))
        {
            XmlFeedOutput.Attribute(writer, "language", feed.Language);
        }

        if (feed.Version is not null)
        {
            XmlFeedOutput.Attribute(writer, "version", feed.Version);
        }

        writer.WriteEndElement();
    }
}
