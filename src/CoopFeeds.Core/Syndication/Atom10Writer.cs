using System.Xml;

namespace CoopFeeds.Core.Syndication;

/// <summary>Renders a <see cref="FeedDocument"/> as an Atom 1.0 feed document (RFC 4287).</summary>
/// <remarks>
/// <para>
/// Feed id (RFC 4287 §4.2.6, "MUST NOT change"): <see cref="FeedDocument.Id"/>, a <c>urn:uuid:</c> made from what the
/// feed is (see <see cref="FeedIdentity"/>), never its URL: a URL follows the host the document was fetched from (the request's
/// Host when no public base URL is configured) and changes when the service moves. RFC 5005 §4 makes the subscription document
/// and its archives one logical feed, and its examples give them one atom:id, so the caller gives archives the subscription
/// document's id. A filtered view is another feed with its own id. Entry ids never depend on the feed (§4.2.6, checklist 2.7).
/// </para>
/// <para>
/// Entries: id, title, link rel=alternate (when the item has a link), published, updated, summary type="html" and categories.
/// An entry with no link gets a content element (§4.1.2: entries without an alternate link must have content).
/// Every entry carries text, the title when there is nothing else, because readers show it (§4.1.2 and the validator's
/// "Missing textual content").
/// The same document always gives the same bytes: nothing here reads the clock or makes up an id.
/// </para>
/// </remarks>
public sealed class Atom10Writer
{
    /// <summary>The media type to serve the output with (RFC 4287 §7).</summary>
    public const string MediaType = "application/atom+xml";

    private const string Generator = "CoopFeeds";
    private const string HtmlMediaType = "text/html";

    private const string AtomNamespace = LinkRelations.AtomNamespace;
    private const string HistoryNamespace = LinkRelations.HistoryNamespace;
    private const string HistoryPrefix = LinkRelations.HistoryPrefix;
    private const string XmlnsPrefix = "xmlns";
    private const string XmlPrefix = "xml";
    private const string LangAttribute = "lang";

    private const string FeedElement = "feed";
    private const string EntryElement = "entry";
    private const string IdElement = "id";
    private const string TitleElement = "title";
    private const string SubtitleElement = "subtitle";
    private const string UpdatedElement = "updated";
    private const string PublishedElement = "published";
    private const string AuthorElement = "author";
    private const string NameElement = "name";
    private const string GeneratorElement = "generator";
    private const string LinkElement = "link";
    private const string SummaryElement = "summary";
    private const string ContentElement = "content";
    private const string CategoryElement = "category";

    private const string HrefAttribute = "href";
    private const string RelAttribute = "rel";
    private const string TypeAttribute = "type";
    private const string TermAttribute = "term";

    // RFC 4287 §3.1.1: the kinds of text construct.
    private const string TextType = "text";
    private const string HtmlType = "html";

    /// <summary>Renders <paramref name="feed"/>; throws <see cref="ArgumentException"/> naming every missing required field.</summary>
    public byte[] Write(FeedDocument feed)
    {
        FeedDocumentRules.EnsureWritable(feed);
        return XmlFeedOutput.Write(writer => WriteFeed(writer, feed));
    }

    private static void WriteFeed(XmlWriter writer, FeedDocument feed)
    {
        // RFC 4287 §1.2: Atom is the default namespace; fh is declared once, on the root, only when an archive uses it.
        writer.WriteStartElement(FeedElement, AtomNamespace);
        writer.WriteAttributeString(XmlnsPrefix, AtomNamespace);
        if (feed.IsArchive)
        {
            writer.WriteAttributeString(XmlnsPrefix, HistoryPrefix, null, HistoryNamespace);
        }

        // RFC 4287 §2: xml:lang gives the language of every text construct below (the section's, never the server's).
        var language = XmlChars.Clean(feed.Language);
        if (!string.IsNullOrWhiteSpace(language))
        {
            writer.WriteAttributeString(XmlPrefix, LangAttribute, null, language);
        }

        WriteMetadata(writer, feed);
        WriteEntries(writer, feed.Entries);
        writer.WriteEndElement();
    }

    /// <summary>RFC 4287 §4.1.1: exactly one id, title and updated; at most one subtitle and generator; all before the entries.</summary>
    private static void WriteMetadata(XmlWriter writer, FeedDocument feed)
    {
        Element(writer, IdElement, feed.Id);
        TextConstruct(writer, TitleElement, TextType, feed.Title);

        var description = XmlChars.Clean(feed.Description);
        if (!string.IsNullOrWhiteSpace(description))
        {
            TextConstruct(writer, SubtitleElement, TextType, description);
        }

        Element(writer, UpdatedElement, WireFormat.Rfc3339(feed.Updated));

        // §4.1.1: a feed-level author is required because entries carry none (§4.1.2).
        writer.WriteStartElement(AuthorElement, AtomNamespace);
        Element(writer, NameElement, feed.Author);
        writer.WriteEndElement();

        Element(writer, GeneratorElement, Generator);

        // §4.2.7.2: self with the Atom media type; alternate to the section's HTML page (one per type, §4.1.1).
        WriteLink(writer, LinkRelations.Self, feed.SelfUrl, MediaType);
        WriteLink(writer, LinkRelations.Alternate, feed.HtmlUrl, HtmlMediaType);
        if (feed.HubUrl is not null)
        {
            WriteLink(writer, LinkRelations.Hub, feed.HubUrl, type: null);
        }

        WriteHistory(writer, feed);
    }

    /// <summary>RFC 5005 §4: archive links at feed level only (never inside entries) and fh:archive on archive documents.</summary>
    private static void WriteHistory(XmlWriter writer, FeedDocument feed)
    {
        if (feed.CurrentUrl is not null)
        {
            WriteLink(writer, LinkRelations.Current, feed.CurrentUrl, MediaType);
        }

        if (feed.PrevArchiveUrl is not null)
        {
            WriteLink(writer, LinkRelations.PrevArchive, feed.PrevArchiveUrl, MediaType);
        }

        if (feed.NextArchiveUrl is not null)
        {
            WriteLink(writer, LinkRelations.NextArchive, feed.NextArchiveUrl, MediaType);
        }

        // A sliding-window subscription feed must not say fh:complete (§2): readers would drop what scrolled out.
        if (feed.IsArchive)
        {
            writer.WriteStartElement(HistoryPrefix, LinkRelations.ArchiveElement, HistoryNamespace);
            writer.WriteEndElement();
        }
    }

    private static void WriteEntries(XmlWriter writer, IReadOnlyList<FeedEntry> entries)
    {
        foreach (var entry in entries)
        {
            WriteEntry(writer, entry);
        }
    }

    /// <summary>RFC 4287 §4.1.2: exactly one id, title and updated; at most one published, summary and content.</summary>
    private static void WriteEntry(XmlWriter writer, FeedEntry entry)
    {
        writer.WriteStartElement(EntryElement, AtomNamespace);
        Element(writer, IdElement, entry.Id);
        TextConstruct(writer, TitleElement, TextType, entry.Title);
        if (entry.Link is not null)
        {
            WriteLink(writer, LinkRelations.Alternate, entry.Link, type: null);
        }

        Element(writer, PublishedElement, WireFormat.Rfc3339(entry.Published));
        Element(writer, UpdatedElement, WireFormat.Rfc3339(entry.Updated));
        WriteText(writer, entry);
        WriteCategories(writer, entry.Categories);
        writer.WriteEndElement();
    }

    /// <summary>
    /// The entry's text: the summary as escaped HTML (§3.1.1.2; sanitized HTML fits in a div), else the plain summary,
    /// else the title, so that no entry is without textual content. It goes in summary when the entry links to its page;
    /// an entry without a rel=alternate link MUST have content (§4.1.2), so there it goes in content instead
    /// (and not in both: the summary would only repeat it).
    /// </summary>
    private static void WriteText(XmlWriter writer, FeedEntry entry)
    {
        var html = XmlChars.Clean(entry.SummaryHtml);
        var text = XmlChars.Clean(entry.SummaryText);
        var (type, value) = !string.IsNullOrWhiteSpace(html) ? (HtmlType, html)
            : !string.IsNullOrWhiteSpace(text) ? (TextType, text)
            : (TextType, entry.Title);

        TextConstruct(writer, entry.Link is not null ? SummaryElement : ContentElement, type, value);
    }

    /// <summary>§4.2.2: term is required and must not be empty; blank categories are skipped.</summary>
    private static void WriteCategories(XmlWriter writer, IReadOnlyList<string> categories)
    {
        foreach (var category in categories)
        {
            var term = XmlChars.Clean(category);
            if (string.IsNullOrWhiteSpace(term))
            {
                continue;
            }

            writer.WriteStartElement(CategoryElement, AtomNamespace);
            XmlFeedOutput.Attribute(writer, TermAttribute, term);
            writer.WriteEndElement();
        }
    }

    private static void WriteLink(XmlWriter writer, string rel, Uri href, string? type)
    {
        writer.WriteStartElement(LinkElement, AtomNamespace);
        XmlFeedOutput.Attribute(writer, RelAttribute, rel);
        XmlFeedOutput.Attribute(writer, HrefAttribute, WireFormat.Uri(href));
        if (type is not null)
        {
            XmlFeedOutput.Attribute(writer, TypeAttribute, type);
        }

        writer.WriteEndElement();
    }

    private static void TextConstruct(XmlWriter writer, string localName, string type, string? value)
    {
        writer.WriteStartElement(localName, AtomNamespace);
        XmlFeedOutput.Attribute(writer, TypeAttribute, type);
        writer.WriteString(XmlChars.Clean(value));
        writer.WriteEndElement();
    }

    private static void Element(XmlWriter writer, string localName, string? value) =>
        XmlFeedOutput.Element(writer, localName, AtomNamespace, value);
}
