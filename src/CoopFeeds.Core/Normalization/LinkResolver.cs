namespace CoopFeeds.Core.Normalization;

/// <summary>
/// Turns a link attribute as written in the page into the absolute http(s) address an item links to.
/// </summary>
public static class LinkResolver
{
    /// <summary>
    /// Schemes that never lead to an item's page: script and inline-data pseudo-links, and mail addresses.
    /// An item whose only link uses one is dropped (docs/architecture.md#identity).
    /// </summary>
    public static readonly IReadOnlySet<string> RejectedSchemes =
        new HashSet<string>(["javascript", "data", "vbscript", "mailto"], StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Resolves <paramref name="raw"/> against <paramref name="baseUri"/> (the document's base URL, which
    /// already honours &lt;base href&gt;) and drops the fragment. Relative, root-relative and
    /// protocol-relative (<c>//host/x</c>, which takes the base's scheme) forms resolve as a browser would
    /// (RFC 3986 §5.2). Returns null when the result is not http or https, when the raw value is empty or
    /// only a fragment, or when it points back at the listing itself: none of those identifies an item,
    /// and keeping them would give every such item the listing's identity.
    /// </summary>
    public static Uri? Resolve(string? raw, Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);

        var text = Prepare(raw);
        if (text.Length == 0 || text[0] == '#')
        {
            return null;
        }

        if (SchemeOf(text) is { } scheme && !IsHttp(scheme))
        {
            return null;
        }

        var resolved = baseUri.IsAbsoluteUri
            ? Uri.TryCreate(baseUri, text, out var combined) ? combined : null
            : Uri.TryCreate(text, UriKind.Absolute, out var absolute) ? absolute : null;

        if (resolved is null || !resolved.IsAbsoluteUri || !IsHttp(resolved.Scheme) || !HasValidHost(resolved))
        {
            return null;
        }

        var withoutFragment = WithoutFragment(resolved);
        return baseUri.IsAbsoluteUri && withoutFragment == WithoutFragment(baseUri) ? null : withoutFragment;
    }

    /// <summary>
    /// True when the host is a domain name IDNA accepts (UTS #46), or an IP address. System.Uri takes hosts that
    /// IDNA refuses — U+FFFD from a mis-decoded accented domain, a joiner, an unassigned code point — and then throws
    /// when asked for <see cref="Uri.IdnHost"/>, which the identity key is made of: such a link leads nowhere anyway.
    /// </summary>
    private static bool HasValidHost(Uri uri)
    {
        if (uri.Host.Length == 0)
        {
            return false;
        }

        try
        {
            _ = uri.IdnHost;
            return true;
        }
        catch (UriFormatException)
        {
            return false;
        }
    }

    /// <summary>True when the raw link uses one of the <see cref="RejectedSchemes"/>.</summary>
    public static bool HasRejectedScheme(string? raw) =>
        SchemeOf(Prepare(raw)) is { } scheme && RejectedSchemes.Contains(scheme);

    /// <summary>
    /// Cleans a raw attribute value the way the WHATWG URL parser does before reading it: strip leading and
    /// trailing C0 controls and spaces, remove every tab and newline inside. Without this,
    /// <c>"java\nscript:alert(1)"</c> would not be seen as the javascript: link a browser runs. Unicode
    /// spaces at the ends (NBSP from a copy-paste) are trimmed as well.
    /// </summary>
    private static string Prepare(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return "";
        }

        var trimmed = raw.AsSpan().Trim().TrimStart(ControlsAndSpace).TrimEnd(ControlsAndSpace);
        return trimmed.ContainsAny("\t\n\r")
            ? string.Concat(trimmed.ToString().Split(['\t', '\n', '\r']))
            : trimmed.ToString();
    }

    private static readonly string ControlsAndSpace = new([.. Enumerable.Range(0, 0x21).Select(i => (char)i)]);

    /// <summary>The scheme of an absolute reference (RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"), lower-cased.</summary>
    private static string? SchemeOf(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 1 || !char.IsAsciiLetter(text[0]))
        {
            return null;
        }

        for (var i = 1; i < colon; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(text[i]) || text[i] is '+' or '-' or '.'))
            {
                return null;
            }
        }

        return text[..colon].ToLowerInvariant();
    }

    private static bool IsHttp(string scheme) =>
        scheme.Equals(Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase)
        || scheme.Equals(Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase);

    // GetLeftPart(Query) is scheme, authority, path and query: everything but the fragment, even an empty one ("a#").
    private static Uri WithoutFragment(Uri uri) => new(uri.GetLeftPart(UriPartial.Query));
}
