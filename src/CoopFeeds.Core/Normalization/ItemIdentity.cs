using System.Security.Cryptography;
using System.Text;

namespace CoopFeeds.Core.Normalization;

/// <summary>
/// An item's identity (docs/architecture.md#identity): the key it is deduplicated and stored under, and the
/// feed id derived from it. Both must come out the same on every run, instance and version, forever:
/// a changed id makes every reader show the item again as new.
/// </summary>
public static class ItemIdentity
{
    /// <summary>
    /// The UUID namespace of CoopFeeds item ids, generated once at random (version 4) for this purpose.
    /// It must NEVER change: every item id ever published is derived from it.
    /// </summary>
    public static readonly Guid Namespace = new("d7a4e113-befc-4d3f-b446-30f7b525b351");

    /// <summary>
    /// Query parameters that say how a reader arrived, not what the page is, and so never take part in an
    /// identity. Compared case-insensitively; <c>utm_*</c> is matched as a prefix. Parameters that may carry
    /// meaning on some sites (<c>ref</c>, <c>source</c>, <c>sid</c>) are deliberately not listed.
    /// </summary>
    public static readonly IReadOnlySet<string> TrackingParameters = new HashSet<string>(
    [
        "fbclid",                                       // Facebook
        "gclid", "gclsrc", "dclid", "gbraid", "wbraid", // Google Ads / DoubleClick
        "_ga", "_gl",                                   // Google Analytics cross-domain linker
        "srsltid",                                      // Google Search result tracking
        "msclkid",                                      // Microsoft Advertising
        "yclid",                                        // Yandex
        "mc_cid", "mc_eid",                             // Mailchimp
        "igshid",                                       // Instagram
        "ref_src", "ref_url",                           // Twitter / X embeds
        "twclid",                                       // Twitter / X ads
        "ttclid",                                       // TikTok
        "li_fat_id",                                    // LinkedIn
        "epik",                                         // Pinterest
        "mkt_tok",                                      // Marketo
        "_hsenc", "_hsmi",                              // HubSpot
        "oly_anon_id", "oly_enc_id",                    // Omeda
        "vero_id", "vero_conv",                         // Vero
        "wickedid",                                     // WickedReports
        "rb_clickid",                                   // Rakuten
    ], StringComparer.OrdinalIgnoreCase);

    private const string TrackingPrefix = "utm_";

    /// <summary>
    /// The identity key of a linked item: its canonical link without scheme, so that http and https
    /// addresses of one page agree. Host lower-cased (IDN hosts in their ASCII form), default port, user
    /// info, fragment and <see cref="TrackingParameters"/> dropped; path case and the order of the remaining
    /// query parameters kept, because servers may treat either as significant (RFC 3986 §6.2.2.1 makes
    /// only scheme and host case-insensitive).
    /// </summary>
    public static string KeyFor(Uri link)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (!link.IsAbsoluteUri)
        {
            throw new ArgumentException("An identity key needs an absolute link.", nameof(link));
        }

        var key = new StringBuilder();
        key.Append(link.HostNameType == UriHostNameType.IPv6 ? link.Host : link.IdnHost.ToLowerInvariant());
        if (!link.IsDefaultPort)
        {
            key.Append(':').Append(link.Port);
        }

        key.Append(link.AbsolutePath);

        var query = RemoveTrackingParameters(link.Query);
        if (query.Length > 0)
        {
            key.Append('?').Append(query);
        }

        return key.ToString();
    }

    /// <summary>
    /// The identity key of an item without a link: <c>source:{sourceId}:</c> and the first 32 hex digits
    /// (128 bits) of the SHA-256 of the cleaned title in UTF-8. Stable as long as the title is.
    /// </summary>
    public static string KeyFor(string sourceId, string cleanedTitle)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceId);
        ArgumentNullException.ThrowIfNull(cleanedTitle);

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(cleanedTitle));
        return $"source:{sourceId}:{Convert.ToHexStringLower(hash)[..32]}";
    }

    /// <summary>The feed id of a key: <c>urn:uuid:</c> + the name-based UUID (version 5) of the key in <see cref="Namespace"/>.</summary>
    public static string FeedId(string identityKey) =>
        "urn:uuid:" + NameBasedUuid(Namespace, identityKey).ToString("D");

    /// <summary>
    /// A name-based UUID, version 5 (RFC 9562 §5.5, formerly RFC 4122 §4.3): SHA-1 over the namespace's 16
    /// bytes in network order followed by the name in UTF-8; the first 16 bytes of the digest, with the
    /// version set to 5 and the variant to 10xx.
    /// </summary>
    public static Guid NameBasedUuid(Guid namespaceId, string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + nameBytes.Length];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        nameBytes.CopyTo(input, 16);

        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, digest);

        var uuid = digest[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // version 5 in the high nibble of time_hi_and_version
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // variant 10xx (RFC 9562 §4.1)
        return new Guid(uuid, bigEndian: true);
    }

    /// <summary>Removes tracking parameters from a query (with or without its leading '?'), keeping the rest verbatim and in order.</summary>
    private static string RemoveTrackingParameters(string query)
    {
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        if (query.Length == 0)
        {
            return "";
        }

        var kept = query
            .Split('&')
            .Where(pair => pair.Length > 0 && !IsTracking(Uri.UnescapeDataString(pair.Split('=', 2)[0].Replace('+', ' '))));
        return string.Join('&', kept);
    }

    private static bool IsTracking(string name) =>
        TrackingParameters.Contains(name) || name.StartsWith(TrackingPrefix, StringComparison.OrdinalIgnoreCase);
}
