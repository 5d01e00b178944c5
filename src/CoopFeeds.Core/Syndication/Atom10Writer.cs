using System.ServiceModel.Syndication;

namespace CoopFeeds.Core.Syndication;

/// <summary>Renders a <see cref="FeedDocument"/> as an Atom 1.0 feed document (RFC 4287), through <see cref="Atom10FeedFormatter"/>.</summary>
/// <remarks>
/// <para>
/// Feed id (RFC 4287 §4.2.6, "MUST NOT change"): <see cref="FeedDocument.Id"/>, a <c>urn:uuid:</c> made from what the
/// feed is (see <see cref="FeedIdentity"/>), never its URL: a URL follows the host the document was fetched from (the request's
/// Host when no public base URL is configured) and changes when the service moves. RFC 5005 §4 makes the subscription document
/// and its archives one logical feed, and its examples give them one atom:id, so the caller gives archives the subscription
/// document's id. A filtered view is another feed with its own id. Entry ids never depend on the feed (§4.2.6, checklist 2.7).
/// </para>
/// <para>
/// Feed (see <see cref="SyndicationMapping"/>): title, subtitle, id, updated, author, generator, links (self, alternate, hub,
/// RFC 5005), fh:archive. Entries: id, title, summary, published, updated, link rel=alternate (when the item has a link), categories.
/// An entry with no link gets a content element instead of the summary (§4.1.2: entries without an alternate link must have content).
/// Every entry carries text, the title when there is nothing else, because readers show it (§4.1.2 and the validator's
/// "Missing textual content").
/// </para>
/// </remarks>
public sealed class Atom10Writer
{
    /// <summary>The media type to serve the output with (RFC 4287 §7).</summary>
    public const string MediaType = "application/atom+xml";

    private const string FeedElement = "feed";

    /// <summary>Renders <paramref name="feed"/>; throws <see cref="ArgumentException"/> naming every missing required field.</summary>
    public byte[] Write(FeedDocument feed)
    {
        FeedDocumentRules.EnsureWritable(feed);
        var syndication = SyndicationMapping.Feed(feed, MediaType, feed.Entries.Select(Entry));

        // §4.2.12: subtitle is optional; a blank one is left out.
        if (SyndicationMapping.Optional(feed.Description) is { } description)
        {
            syndication.Description = new TextSyndicationContent(description);
        }

        var formatter = new Atom10FeedFormatter(syndication);
        return XmlFeedOutput.Write(formatter, FeedElement, LinkRelations.AtomNamespace, Namespaces(feed));
    }

    /// <summary>§1.2: Atom is the default namespace; fh is declared once, on the root, only when an archive uses it.</summary>
    private static IEnumerable<(string, string)> Namespaces(FeedDocument feed)
    {
        yield return ("", LinkRelations.AtomNamespace);
        if (feed.IsArchive)
        {
            yield return (LinkRelations.HistoryPrefix, LinkRelations.HistoryNamespace);
        }
    }

    /// <summary>
    /// The entry's text: the summary as escaped HTML (§3.1.1.2; sanitized HTML fits in a div), else the plain summary,
    /// else the title. It is the summary when the entry links to its page; an entry without a rel=alternate link MUST have
    /// content (§4.1.2), so there it is the content instead (and not both: the summary would only repeat it).
    /// </summary>
    private static SyndicationItem Entry(FeedEntry entry)
    {
        var item = SyndicationMapping.Item(entry);
        var text = SyndicationMapping.Optional(entry.SummaryHtml) is { } html
            ? new TextSyndicationContent(html, TextSyndicationContentKind.Html)
            : new TextSyndicationContent(SyndicationMapping.Optional(entry.SummaryText) ?? XmlChars.Clean(entry.Title));
        if (entry.Link is null)
        {
            item.Content = text;
        }
        else
        {
            item.Summary = text;
        }

        return item;
    }
}
