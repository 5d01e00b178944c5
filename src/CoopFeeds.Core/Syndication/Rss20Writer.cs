using System.Globalization;
using System.Net;
using System.Xml;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// Renders a <see cref="FeedDocument"/> as RSS 2.0 (spec 2.0.11) following the RSS Advisory Board's Best Practices Profile.
/// </summary>
/// <remarks>
/// Mapping: channel title/link/description/language/lastBuildDate (= Updated)/generator/ttl, then atom:link rel=self
/// (profile §5.1.1), rel=hub (WebSub §4) and the RFC 5005 relations with fh:archive (RFC 5005 appendix B).
/// Items: title, link, description (the HTML summary, escaped), guid isPermaLink="false" (the urn:uuid id), pubDate, category.
/// The same document always gives the same bytes: nothing here reads the clock or makes up a value.
/// </remarks>
public sealed class Rss20Writer
{
    /// <summary>The media type to serve the output with (RSS Board registration draft).</summary>
    public const string MediaType = "application/rss+xml";

    private const string Generator = "CoopFeeds";

    private const string AtomNamespace = LinkRelations.AtomNamespace;
    private const string AtomPrefix = LinkRelations.AtomPrefix;
    private const string HistoryNamespace = LinkRelations.HistoryNamespace;
    private const string HistoryPrefix = LinkRelations.HistoryPrefix;
    private const string XmlnsPrefix = "xmlns";

    private const string RssElement = "rss";
    private const string VersionAttribute = "version";
    private const string Version = "2.0";
    private const string ChannelElement = "channel";
    private const string TitleElement = "title";
    private const string LinkElement = "link";
    private const string DescriptionElement = "description";
    private const string LanguageElement = "language";
    private const string LastBuildDateElement = "lastBuildDate";
    private const string GeneratorElement = "generator";
    private const string TtlElement = "ttl";
    private const string ItemElement = "item";
    private const string GuidElement = "guid";
    private const string IsPermaLinkAttribute = "isPermaLink";
    private const string NotPermaLink = "false";
    private const string PubDateElement = "pubDate";
    private const string CategoryElement = "category";

    private const string AtomLinkElement = "link";
    private const string HrefAttribute = "href";
    private const string RelAttribute = "rel";
    private const string TypeAttribute = "type";
    private const string ArchiveElement = LinkRelations.ArchiveElement;

    /// <summary>Renders <paramref name="feed"/>; throws <see cref="ArgumentException"/> naming every missing required field.</summary>
    public byte[] Write(FeedDocument feed)
    {
        FeedDocumentRules.EnsureWritable(feed);
        return XmlFeedOutput.Write(writer => WriteFeed(writer, feed));
    }

    private static void WriteFeed(XmlWriter writer, FeedDocument feed)
    {
        writer.WriteStartElement(RssElement);
        writer.WriteAttributeString(VersionAttribute, Version);

        // Namespaces once, on the root, with the conventional prefixes (RSS spec "Extending RSS"; the validator flags others).
        writer.WriteAttributeString(XmlnsPrefix, AtomPrefix, null, AtomNamespace);
        if (feed.IsArchive)
        {
            writer.WriteAttributeString(XmlnsPrefix, HistoryPrefix, null, HistoryNamespace);
        }

        WriteChannel(writer, feed);
        writer.WriteEndElement();
    }

    private static void WriteChannel(XmlWriter writer, FeedDocument feed)
    {
        writer.WriteStartElement(ChannelElement);

        // Required channel elements (RSS spec; profile §4.1.1.1–4.1.1.3). Description must not be empty,
        // so a section without one falls back to its title.
        XmlFeedOutput.Element(writer, TitleElement, null, feed.Title);
        XmlFeedOutput.Element(writer, LinkElement, null, WireFormat.Uri(feed.HtmlUrl));
        var description = XmlChars.Clean(feed.Description);
        XmlFeedOutput.Element(writer, DescriptionElement, null, string.IsNullOrWhiteSpace(description) ? feed.Title : description);

        // Profile §4.1.1.10: the section's configured language, never the server culture.
        if (!string.IsNullOrWhiteSpace(XmlChars.Clean(feed.Language)))
        {
            XmlFeedOutput.Element(writer, LanguageElement, null, feed.Language);
        }

        // Profile §4.1.1.11: the last time the content changed, which the document carries; never the build time.
        XmlFeedOutput.Element(writer, LastBuildDateElement, null, WireFormat.Rfc822(feed.Updated));
        XmlFeedOutput.Element(writer, GeneratorElement, null, Generator);

        // Profile §4.1.1.18: whole minutes, positive; rounded up so readers never poll sooner than Cache-Control allows.
        if (feed.Ttl is { } ttl)
        {
            var minutes = (long)Math.Ceiling(ttl.TotalMinutes);
            XmlFeedOutput.Element(writer, TtlElement, null, minutes.ToString(CultureInfo.InvariantCulture));
        }

        WriteAtomLink(writer, LinkRelations.Self, feed.SelfUrl, MediaType);
        if (feed.HubUrl is not null)
        {
            WriteAtomLink(writer, LinkRelations.Hub, feed.HubUrl, type: null);
        }

        WriteHistory(writer, feed);
        WriteEntries(writer, feed.Entries);
        writer.WriteEndElement();
    }

    /// <summary>RFC 5005 appendix B: the same link relations and fh elements as in Atom, inside the channel.</summary>
    private static void WriteHistory(XmlWriter writer, FeedDocument feed)
    {
        if (feed.CurrentUrl is not null)
        {
            WriteAtomLink(writer, LinkRelations.Current, feed.CurrentUrl, MediaType);
        }

        if (feed.PrevArchiveUrl is not null)
        {
            WriteAtomLink(writer, LinkRelations.PrevArchive, feed.PrevArchiveUrl, MediaType);
        }

        if (feed.NextArchiveUrl is not null)
        {
            WriteAtomLink(writer, LinkRelations.NextArchive, feed.NextArchiveUrl, MediaType);
        }

        // RFC 5005 §4: marks an archive document, whose entries never change. A sliding-window feed must not claim fh:complete (§2).
        if (feed.IsArchive)
        {
            writer.WriteStartElement(HistoryPrefix, ArchiveElement, HistoryNamespace);
            writer.WriteEndElement();
        }
    }

    private static void WriteAtomLink(XmlWriter writer, string rel, Uri href, string? type)
    {
        writer.WriteStartElement(AtomPrefix, AtomLinkElement, AtomNamespace);
        XmlFeedOutput.Attribute(writer, HrefAttribute, WireFormat.Uri(href));
        XmlFeedOutput.Attribute(writer, RelAttribute, rel);
        if (type is not null)
        {
            XmlFeedOutput.Attribute(writer, TypeAttribute, type);
        }

        writer.WriteEndElement();
    }

    private static void WriteEntries(XmlWriter writer, IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            WriteEntry(writer, entry);
        }
    }

    private static void WriteEntry(XmlWriter writer, FeedEntry entry)
    {
        writer.WriteStartElement(ItemElement);
        XmlFeedOutput.Element(writer, TitleElement, null, entry.Title);
        if (entry.Link is not null)
        {
            XmlFeedOutput.Element(writer, LinkElement, null, WireFormat.Uri(entry.Link));
        }

        // Profile §4.1.1.20.4: description holds HTML, escaped as text (the writer escapes; no hand-made CDATA).
        // A plain-text-only summary is HTML-encoded first so that "<" in it is read as text, not markup.
        var description = DescriptionHtml(entry);
        if (description is not null)
        {
            XmlFeedOutput.Element(writer, DescriptionElement, null, description);
        }

        // Profile §4.1.1.20.6: the id is not a URL, so isPermaLink="false" (otherwise readers and the validator take it for one).
        writer.WriteStartElement(GuidElement);
        XmlFeedOutput.Attribute(writer, IsPermaLinkAttribute, NotPermaLink);
        writer.WriteString(XmlChars.Clean(entry.Id));
        writer.WriteEndElement();

        XmlFeedOutput.Element(writer, PubDateElement, null, WireFormat.Rfc822(entry.Published));
        WriteCategories(writer, entry.Categories);
        writer.WriteEndElement();
    }

    private static string? DescriptionHtml(FeedEntry entry)
    {
        var html = XmlChars.Clean(entry.SummaryHtml);
        if (!string.IsNullOrWhiteSpace(html))
        {
            return html;
        }

        var text = XmlChars.Clean(entry.SummaryText);
        return string.IsNullOrWhiteSpace(text) ? null : WebUtility.HtmlEncode(text);
    }

    /// <summary>Profile §4.1.1.20.2: plain text, one element per category; blank ones say nothing and are skipped.</summary>
    private static void WriteCategories(XmlWriter writer, IReadOnlyList<string> categories)
    {
        foreach (var category in categories)
        {
            var clean = XmlChars.Clean(category);
            if (!string.IsNullOrWhiteSpace(clean))
            {
                XmlFeedOutput.Element(writer, CategoryElement, null, clean);
            }
        }
    }
}
