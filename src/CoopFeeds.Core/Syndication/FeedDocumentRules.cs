namespace CoopFeeds.Core.Syndication;

/// <summary>
/// The fields every format needs, checked before any byte is written: a document that breaks them is refused
/// with one error naming every problem, instead of a feed that readers reject or silently mangle.
/// </summary>
internal static class FeedDocumentRules
{
    /// <summary>Throws <see cref="ArgumentException"/> listing every problem of <paramref name="feed"/>; returns when there is none.</summary>
    public static void EnsureWritable(FeedDocument feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var problems = Problems(feed).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(
                "The feed document cannot be written: " + string.Join("; ", problems) + ".", nameof(feed));
        }
    }

    private static IEnumerable<string> Problems(FeedDocument feed)
    {
        // RFC 4287 §4.1.1 and §4.2.6: exactly one atom:id, an absolute IRI.
        var feedId = XmlChars.Clean(feed.Id);
        if (feedId.Trim().Length == 0)
        {
            yield return "Id is blank";
        }
        else if (!System.Uri.TryCreate(feedId, UriKind.Absolute, out _))
        {
            yield return $"Id is not an absolute URI ({feedId})";
        }

        // RSS 2.0 "Required channel elements", RFC 4287 §4.1.1 (title), §4.1.1 + §4.2.1 (author when entries have none).
        if (IsBlank(feed.Title))
        {
            yield return "Title is blank";
        }

        if (IsBlank(feed.Author))
        {
            yield return "Author is blank";
        }

        foreach (var problem in AbsoluteHttp(nameof(feed.HtmlUrl), feed.HtmlUrl, required: true)
                     .Concat(AbsoluteHttp(nameof(feed.SelfUrl), feed.SelfUrl, required: true))
                     .Concat(AbsoluteHttp(nameof(feed.HubUrl), feed.HubUrl, required: false))
                     .Concat(AbsoluteHttp(nameof(feed.PrevArchiveUrl), feed.PrevArchiveUrl, required: false))
                     .Concat(AbsoluteHttp(nameof(feed.NextArchiveUrl), feed.NextArchiveUrl, required: false))
                     .Concat(AbsoluteHttp(nameof(feed.CurrentUrl), feed.CurrentUrl, required: false)))
        {
            yield return problem;
        }

        if (feed.Updated == default)
        {
            yield return "Updated is not set";
        }

        // RSS 2.0 <ttl>: a number of minutes; zero or less means nothing to a reader.
        if (feed.Ttl is { } ttl && ttl <= TimeSpan.Zero)
        {
            yield return $"Ttl must be positive (was {ttl})";
        }

        // RFC 5005 §4: an archive document points at the subscription document.
        if (feed.IsArchive && feed.CurrentUrl is null)
        {
            yield return "CurrentUrl is required when IsArchive is true";
        }

        if (feed.Entries is null)
        {
            yield return "Entries is null";
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < feed.Entries.Count; i++)
        {
            var entry = feed.Entries[i];
            var where = $"Entries[{i}]";
            if (entry is null)
            {
                yield return $"{where} is null";
                continue;
            }

            // RFC 4287 §4.2.6: atom:id is an absolute IRI; the same value is the RSS guid and the JSON Feed id.
            var id = XmlChars.Clean(entry.Id);
            if (id.Trim().Length == 0)
            {
                yield return $"{where}.Id is blank";
            }
            else if (!System.Uri.TryCreate(id, UriKind.Absolute, out _))
            {
                yield return $"{where}.Id is not an absolute URI ({id})";
            }
            else if (!seen.Add(id))
            {
                // RFC 4287 §4.1.1: entries with the same id are the same entry; readers keep one of them.
                yield return $"{where}.Id repeats an earlier entry ({id})";
            }

            if (IsBlank(entry.Title))
            {
                yield return $"{where}.Title is blank";
            }

            foreach (var problem in AbsoluteHttp($"{where}.Link", entry.Link, required: false))
            {
                yield return problem;
            }

            if (entry.Published == default)
            {
                yield return $"{where}.Published is not set";
            }

            if (entry.Updated == default)
            {
                yield return $"{where}.Updated is not set";
            }
        }
    }

    private static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(XmlChars.Clean(value));

    /// <summary>RSS profile §3.4 and RFC 4287 §4.2.7.1: links are absolute; readers follow only http(s).</summary>
    private static IEnumerable<string> AbsoluteHttp(string name, Uri? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                yield return $"{name} is missing";
            }

            yield break;
        }

        if (!value.IsAbsoluteUri || (value.Scheme != System.Uri.UriSchemeHttp && value.Scheme != System.Uri.UriSchemeHttps))
        {
            yield return $"{name} is not an absolute http(s) URL ({value.OriginalString})";
        }
    }
}
