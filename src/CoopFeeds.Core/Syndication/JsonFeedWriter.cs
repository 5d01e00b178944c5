using System.Text.Encodings.Web;
using System.Text.Json;

namespace CoopFeeds.Core.Syndication;

/// <summary>Renders a <see cref="FeedDocument"/> as JSON Feed 1.1 (https://jsonfeed.org/version/1.1).</summary>
/// <remarks>
/// Top level: version, title, home_page_url (HtmlUrl), feed_url (SelfUrl), description, language, authors, hubs, items.
/// Items: id (the same urn:uuid as the RSS guid and Atom id), url, title, content_html or content_text, summary,
/// date_published, date_modified, tags. JSON Feed has no archive mechanism, so the RFC 5005 fields are not written.
/// The same document always gives the same bytes: nothing here reads the clock or makes up a value.
/// </remarks>
public sealed class JsonFeedWriter
{
    /// <summary>The media type to serve the output with (JSON Feed 1.1, "Suggestions for Publishers").</summary>
    public const string MediaType = "application/feed+json";

    private const string Version = "https://jsonfeed.org/version/1.1";
    private const string WebSubHubType = "WebSub";

    private const string VersionProperty = "version";
    private const string TitleProperty = "title";
    private const string HomePageUrlProperty = "home_page_url";
    private const string FeedUrlProperty = "feed_url";
    private const string DescriptionProperty = "description";
    private const string LanguageProperty = "language";
    private const string AuthorsProperty = "authors";
    private const string NameProperty = "name";
    private const string HubsProperty = "hubs";
    private const string TypeProperty = "type";
    private const string UrlProperty = "url";
    private const string ItemsProperty = "items";
    private const string IdProperty = "id";
    private const string ContentHtmlProperty = "content_html";
    private const string ContentTextProperty = "content_text";
    private const string SummaryProperty = "summary";
    private const string DatePublishedProperty = "date_published";
    private const string DateModifiedProperty = "date_modified";
    private const string TagsProperty = "tags";

    /// <summary>
    /// Indented with LF on every platform (byte-stable output); relaxed escaping keeps non-ASCII text readable and is still
    /// valid JSON (RFC 8259 §7): quotes, backslashes and control characters are always escaped.
    /// </summary>
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Renders <paramref name="feed"/>; throws <see cref="ArgumentException"/> naming every missing required field.</summary>
    public byte[] Write(FeedDocument feed)
    {
        FeedDocumentRules.EnsureWritable(feed);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            WriteFeed(writer, feed);
        }

        return stream.ToArray();
    }

    private static void WriteFeed(Utf8JsonWriter writer, FeedDocument feed)
    {
        writer.WriteStartObject();

        // "Top-level": version and title are required; home_page_url and feed_url are strongly recommended for public feeds.
        writer.WriteString(VersionProperty, Version);
        String(writer, TitleProperty, feed.Title);
        writer.WriteString(HomePageUrlProperty, WireFormat.Uri(feed.HtmlUrl));
        writer.WriteString(FeedUrlProperty, WireFormat.Uri(feed.SelfUrl));
        OptionalString(writer, DescriptionProperty, feed.Description);

        // 1.1 "language": an RFC 5646 tag, the section's.
        OptionalString(writer, LanguageProperty, feed.Language);

        // 1.1 "authors" replaces the deprecated "author"; each object needs at least a name, url or avatar.
        writer.WriteStartArray(AuthorsProperty);
        writer.WriteStartObject();
        String(writer, NameProperty, feed.Author);
        writer.WriteEndObject();
        writer.WriteEndArray();

        // "Subscribing to Real-time Notifications": hubs is an array of {type, url}.
        if (feed.HubUrl is not null)
        {
            writer.WriteStartArray(HubsProperty);
            writer.WriteStartObject();
            writer.WriteString(TypeProperty, WebSubHubType);
            writer.WriteString(UrlProperty, WireFormat.Uri(feed.HubUrl));
            writer.WriteEndObject();
            writer.WriteEndArray();
        }

        WriteEntries(writer, feed.Entries);
        writer.WriteEndObject();
    }

    private static void WriteEntries(Utf8JsonWriter writer, IReadOnlyList<FeedEntry> entries)
    {
        writer.WriteStartArray(ItemsProperty);
        foreach (var entry in entries)
        {
            WriteEntry(writer, entry);
        }

        writer.WriteEndArray();
    }

    /// <summary>"Items": id is a string; content_html or content_text is required; title and summary are plain text.</summary>
    private static void WriteEntry(Utf8JsonWriter writer, FeedEntry entry)
    {
        writer.WriteStartObject();
        String(writer, IdProperty, entry.Id);
        if (entry.Link is not null)
        {
            writer.WriteString(UrlProperty, WireFormat.Uri(entry.Link));
        }

        String(writer, TitleProperty, entry.Title);

        var html = XmlChars.Clean(entry.SummaryHtml);
        var text = XmlChars.Clean(entry.SummaryText);
        if (!string.IsNullOrWhiteSpace(html))
        {
            writer.WriteString(ContentHtmlProperty, html);
            OptionalString(writer, SummaryProperty, text);
        }
        else
        {
            // One of content_html/content_text is required: the plain summary, else the title.
            String(writer, ContentTextProperty, string.IsNullOrWhiteSpace(text) ? entry.Title : text);
        }

        // "date_published"/"date_modified": RFC 3339, spelled as in the Atom feed.
        writer.WriteString(DatePublishedProperty, WireFormat.Rfc3339(entry.Published));
        writer.WriteString(DateModifiedProperty, WireFormat.Rfc3339(entry.Updated));
        WriteTags(writer, entry.Categories);
        writer.WriteEndObject();
    }

    private static void WriteTags(Utf8JsonWriter writer, IReadOnlyList<string> categories)
    {
        var tags = categories.Select(XmlChars.Clean).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (tags.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(TagsProperty);
        foreach (var tag in tags)
        {
            writer.WriteStringValue(tag);
        }

        writer.WriteEndArray();
    }

    /// <summary>Strings go through <see cref="XmlChars.Clean"/> here too: a lone surrogate is not valid UTF-8 and a C0 control is never content.</summary>
    private static void String(Utf8JsonWriter writer, string name, string? value) =>
        writer.WriteString(name, XmlChars.Clean(value));

    private static void OptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        var clean = XmlChars.Clean(value);
        if (!string.IsNullOrWhiteSpace(clean))
        {
            writer.WriteString(name, clean);
        }
    }
}
