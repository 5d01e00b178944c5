using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Serving;

/// <summary>The three formats a section is published in, with their wire media types and writers.</summary>
/// <param name="Label">The format's own name, as pages show it.</param>
public sealed record FeedFormat(string Extension, string Label, string MediaType, Func<FeedDocument, byte[]> Write)
{
    public static readonly FeedFormat Rss = new("rss", "RSS", "application/rss+xml; charset=utf-8", new Rss20Writer().Write);
    public static readonly FeedFormat Atom = new("atom", "Atom", "application/atom+xml; charset=utf-8", new Atom10Writer().Write);
    public static readonly FeedFormat Json = new("json", "JSON Feed", "application/feed+json; charset=utf-8", new JsonFeedWriter().Write);

    public static readonly IReadOnlyList<FeedFormat> All = [Rss, Atom, Json];

    /// <summary>The format whose extension is exactly <paramref name="extension"/>: one spelling per document address.</summary>
    public static FeedFormat? Find(string extension) =>
        All.FirstOrDefault(f => string.Equals(f.Extension, extension, StringComparison.Ordinal));

    /// <summary>The media type without parameters, as autodiscovery links write it.</summary>
    public string BareMediaType => MediaType.Split(';')[0];
}
