using System.Globalization;

namespace CoopFeeds.Core.Syndication;

/// <summary>
/// How dates and URLs are spelled where CoopFeeds writes them itself (JSON Feed, OPML) and how URIs are handed to the
/// syndication formatters, so that one instant and one link have one spelling in every format.
/// </summary>
public static class WireFormat
{
    /// <summary>
    /// RFC 822 as the RSS profile wants it (§3.2): English names, four-digit year, GMT; for OPML's dateModified (OPML 2.0 "&lt;head&gt;").
    /// RSS dates are the formatter's, which spells the same zone "Z". The "r" pattern always uses the invariant culture and
    /// Gregorian calendar, whatever CurrentCulture is.
    /// </summary>
    public static string Rfc822(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    /// <summary>
    /// RFC 3339 §5.6 date-time in UTC with whole seconds (<c>2024-03-05T09:00:00Z</c>), for Atom (RFC 4287 §3.3) and JSON Feed.
    /// Always UTC so that one instant has one spelling in every format, whatever offset the page gave.
    /// </summary>
    public static string Rfc3339(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// An absolute URI in its escaped ASCII form: RSS wants URIs, not IRIs (RSS profile §3.4), and every reader can resolve them.
    /// <see cref="Uri.AbsoluteUri"/> escapes path and query but keeps a Unicode host, so the host is swapped for its IDN (punycode) form.
    /// </summary>
    public static string Uri(Uri value)
    {
        var text = value.AbsoluteUri;
        if (value.HostNameType != UriHostNameType.Dns || value.Host == value.IdnHost)
        {
            return text;
        }

        var authority = value.UserInfo.Length > 0 ? value.UserInfo + "@" : "";
        authority += value.IdnHost;
        if (!value.IsDefaultPort)
        {
            authority += ":" + value.Port.ToString(CultureInfo.InvariantCulture);
        }

        return value.Scheme + "://" + authority + value.PathAndQuery + value.Fragment;
    }
}
