using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Publishing;

/// <summary>The three formats a section is published in, with their wire media types and writers.</summary>
public sealed record FeedFormat(string Extension, string MediaType, Func<FeedDocument, byte[]> Write)
{
    public static readonly FeedFormat Rss = new("rss", "application/rss+xml; charset=utf-8", new Rss20Writer().Write);
    public static readonly FeedFormat Atom = new("atom", "application/atom+xml; charset=utf-8", new Atom10Writer().Write);
    public static readonly FeedFormat Json = new("json", "application/feed+json; charset=utf-8", new JsonFeedWriter().Write);

    public static readonly IReadOnlyList<FeedFormat> All = [Rss, Atom, Json];

    public static FeedFormat? Find(string extension) =>
        All.FirstOrDefault(f => string.Equals(f.Extension, extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>The media type without parameters, as autodiscovery links write it.</summary>
    public string BareMediaType => MediaType.Split(';')[0];
}
