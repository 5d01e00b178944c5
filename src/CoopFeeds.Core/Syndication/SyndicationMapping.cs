using System.ServiceModel.Syndication;
using System.Xml.Linq;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// The part of the <see cref="FeedDocument"/> → <see cref="SyndicationFeed"/> mapping that <see cref="Rss20Writer"/> and
/// <see cref="Atom10Writer"/> share; each writer then sets the text that differs between the formats.
/// </summary>
/// <remarks>
/// The formatters write whatever the model holds, so the model is made safe here, before they see it:
/// every string goes through <see cref="XmlChars.Clean"/> (one forbidden character anywhere makes the whole write throw);
/// every URI is its ASCII form (they write <see cref="Uri.AbsoluteUri"/>, which keeps a Unicode host that validators refuse);
/// every date is in UTC (so RSS spells the zone "Z" and Atom writes RFC 3339 with "Z");
/// the ttl is whole minutes (the setter throws otherwise); and every id and date is set, because the Atom formatter
/// makes up a random id and reads the clock for missing ones. So the same document always gives the same bytes.
/// </remarks>
internal static class SyndicationMapping
{
    private const string Generator = "CoopFeeds";
    private const string HtmlMediaType = "text/html";

    /// <summary>
    /// Feed metadata and links in the order the documents carry them: self (with <paramref name="mediaType"/>, RSS profile §5.1.1,
    /// RFC 4287 §4.2.7.2), alternate (the section's page), hub (WebSub §4), then the RFC 5005 §4 relations. The description is the writer's.
    /// </summary>
    public static SyndicationFeed Feed(FeedDocument document, string mediaType, IEnumerable<SyndicationItem> items)
    {
        var feed = new SyndicationFeed(items.ToList())
        {
            Id = XmlChars.Clean(document.Id),
            Title = new TextSyndicationContent(XmlChars.Clean(document.Title)),

            // RSS profile §4.1.1.10, RFC 4287 §2 (xml:lang): the section's language, never the server's.
            Language = Optional(document.Language),

            // The newest change the document carries (RSS profile §4.1.1.11), never the build time.
            LastUpdatedTime = document.Updated.ToUniversalTime(),
            Generator = Generator,
        };

        // RFC 4287 §4.1.1: a feed-level author, because entries carry none. RSS writes it only as an e-mail, so not at all here.
        feed.Authors.Add(new SyndicationPerson { Name = XmlChars.Clean(document.Author) });

        // RSS profile §4.1.1.18: whole minutes; rounded up so readers never poll sooner than Cache-Control allows.
        if (document.Ttl is { } ttl)
        {
            feed.TimeToLive = TimeSpan.FromMinutes(Math.Ceiling(ttl.TotalMinutes));
        }

        feed.Links.Add(Link(LinkRelations.Self, document.SelfUrl, mediaType));
        feed.Links.Add(Link(LinkRelations.Alternate, document.HtmlUrl, HtmlMediaType));
        AddLink(feed.Links, LinkRelations.Hub, document.HubUrl, mediaType: null);
        AddLink(feed.Links, LinkRelations.Current, document.CurrentUrl, mediaType);
        AddLink(feed.Links, LinkRelations.PrevArchive, document.PrevArchiveUrl, mediaType);
        AddLink(feed.Links, LinkRelations.NextArchive, document.NextArchiveUrl, mediaType);

        // RFC 5005 §4: marks an archive document, whose entries never change. A sliding-window subscription feed must not
        // claim fh:complete (§2): readers would drop what scrolled out.
        if (document.IsArchive)
        {
            feed.ElementExtensions.Add(new XElement(XName.Get(LinkRelations.ArchiveElement, LinkRelations.HistoryNamespace)));
        }

        return feed;
    }

    /// <summary>Id, title, dates, link and categories of an entry; its text is the writer's.</summary>
    public static SyndicationItem Item(FeedEntry entry)
    {
        var item = new SyndicationItem
        {
            Id = XmlChars.Clean(entry.Id),
            Title = new TextSyndicationContent(XmlChars.Clean(entry.Title)),
            PublishDate = entry.Published.ToUniversalTime(),
            LastUpdatedTime = entry.Updated.ToUniversalTime(),
        };
        AddLink(item.Links, LinkRelations.Alternate, entry.Link, mediaType: null);

        // RSS profile §4.1.1.20.2, RFC 4287 §4.2.2 (term must not be empty): plain text, one per category; blank ones say nothing.
        foreach (var category in entry.Categories)
        {
            if (Optional(category) is { } name)
            {
                item.Categories.Add(new SyndicationCategory(name));
            }
        }

        return item;
    }

    /// <summary>The cleaned text, or null when nothing but white space is left.</summary>
    public static string? Optional(string? value)
    {
        var clean = XmlChars.Clean(value);
        return string.IsNullOrWhiteSpace(clean) ? null : clean;
    }

    private static void AddLink(ICollection<SyndicationLink> links, string rel, Uri? href, string? mediaType)
    {
        if (href is not null)
        {
            links.Add(Link(rel, href, mediaType));
        }
    }

    private static SyndicationLink Link(string rel, Uri href, string? mediaType) =>
        new(new Uri(WireFormat.Uri(href)), rel, title: null, mediaType, length: 0);
}
