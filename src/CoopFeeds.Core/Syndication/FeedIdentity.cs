using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// The permanent id of a logical feed (RFC 4287 §4.2.6: atom:id "MUST NOT change", even when the feed moves to another host):
/// <c>urn:uuid:</c> + the name-based UUID (v5, <see cref="ItemIdentity.Namespace"/>) of <c>feed:</c> + a name that the
/// caller makes from what the feed is, never from where it is served. Item identity keys always hold a '/' (a link's path)
/// or start with <c>source:</c>; feed names hold neither, so a feed id never equals an item id.
/// </summary>
public static class FeedIdentity
{
    private const string NamePrefix = "feed:";

    /// <summary>The id of the feed called <paramref name="name"/>: the same name gives the same id on every instance, forever.</summary>
    public static string Of(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name.Contains('/')) throw new ArgumentException("A feed name holds no '/', which item identity keys do.", nameof(name));
        return "urn:uuid:" + ItemIdentity.NameBasedUuid(ItemIdentity.Namespace, NamePrefix + name).ToString("D");
    }
}
