using System.Net;
using System.ServiceModel.Syndication;
using System.Xml.Linq;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// Renders a <see cref="FeedDocument"/> as RSS 2.0 (spec 2.0.11) following the RSS Advisory Board's Best Practices Profile,
/// through <see cref="Rss20FeedFormatter"/>.
/// </summary>
/// <remarks>
/// Mapping (see <see cref="SyndicationMapping"/>): channel title/link/description/language/lastBuildDate (= Updated)/generator/ttl,
/// then atom:link rel=self (profile §5.1.1), rel=hub (WebSub §4) and the RFC 5005 relations with fh:archive (RFC 5005 appendix B).
/// Items: guid isPermaLink="false" (the urn:uuid id; the formatter says "true" only for an id equal to the item's link), link,
/// category, title, description (the HTML summary, escaped), pubDate, in the formatter's order (RSS gives them none).
/// The formatter runs with <c>SerializeExtensionsAsAtom</c> off: on, it writes a10-prefixed Atom elements that the validator flags
/// (checklist 1.11); off, it drops every link but the alternate one, so the others are added back here as atom:link extensions.
/// Dates are RFC 822 in UTC with the zone spelled "Z" (RFC 822 §5.1: the military zone for UT), the formatter's only spelling of UTC.
/// </remarks>
public sealed class Rss20Writer
{
    /// <summary>The media type to serve the output with (RSS Board registration draft).</summary>
    public const string MediaType = "application/rss+xml";

    private const string RssElement = "rss";
    private const string AtomLinkElement = "link";
    private const string HrefAttribute = "href";
    private const string RelAttribute = "rel";
    private const string TypeAttribute = "type";

    /// <summary>Renders <paramref name="feed"/>; throws <see cref="ArgumentException"/> naming every missing required field.</summary>
    public byte[] Write(FeedDocument feed)
    {
        FeedDocumentRules.EnsureWritable(feed);
        var syndication = SyndicationMapping.Feed(feed, MediaType, feed.Entries.Select(Item));

        // Required channel element (RSS spec; profile §4.1.1.3) that must not be empty: a section without one falls back to its title.
        syndication.Description = new TextSyndicationContent(SyndicationMapping.Optional(feed.Description) ?? XmlChars.Clean(feed.Title));
        AddAtomLinks(syndication);

        var formatter = new Rss20FeedFormatter(syndication, serializeExtensionsAsAtom: false);
        return XmlFeedOutput.Write(formatter, RssElement, rootNamespace: null, Namespaces(feed));
    }

    /// <summary>Namespaces once, on the root, with the conventional prefixes (checklist 7.9); fh only where an archive uses it.</summary>
    private static IEnumerable<(string, string)> Namespaces(FeedDocument feed)
    {
        yield return (LinkRelations.AtomPrefix, LinkRelations.AtomNamespace);
        if (feed.IsArchive)
        {
            yield return (LinkRelations.HistoryPrefix, LinkRelations.HistoryNamespace);
        }
    }

    /// <summary>Every feed link but the alternate one (the channel's link) as an atom:link, before fh:archive (RFC 5005 appendix B).</summary>
    private static void AddAtomLinks(SyndicationFeed syndication)
    {
        var position = 0;
        foreach (var link in syndication.Links.Where(l => l.RelationshipType != LinkRelations.Alternate))
        {
            var element = new XElement(
                XName.Get(AtomLinkElement, LinkRelations.AtomNamespace),
                new XAttribute(HrefAttribute, link.Uri.AbsoluteUri),
                new XAttribute(RelAttribute, link.RelationshipType),
                link.MediaType is null ? null : new XAttribute(TypeAttribute, link.MediaType));
            syndication.ElementExtensions.Insert(position++, new SyndicationElementExtension(element));
        }
    }

    private static SyndicationItem Item(FeedEntry entry)
    {
        var item = SyndicationMapping.Item(entry);

        // Profile §4.1.1.20.4: description holds HTML, escaped as text by the writer. A plain-text-only summary is HTML-encoded
        // first so that "<" in it is read as text, not markup (the formatter writes the text as it is). No summary, no description.
        var html = SyndicationMapping.Optional(entry.SummaryHtml)
            ?? (SyndicationMapping.Optional(entry.SummaryText) is { } text ? WebUtility.HtmlEncode(text) : null);
        if (html is not null)
        {
            item.Summary = new TextSyndicationContent(html, TextSyndicationContentKind.Html);
        }

        return item;
    }
}
