using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Sources;

/// <summary>
/// Keeps the secrets a source's URL may carry — <c>user:password@</c>, <c>?token=…</c> — out of everything shown or
/// logged: the status page, /api/sources, /sources.atom, logs and the command line's output. The fetch itself still
/// sends the URL as configured.
/// </summary>
public static partial class UrlRedactor
{
    /// <summary>What a redacted user info or parameter value reads as.</summary>
    public const string Mask = "***";

    /// <summary>
    /// Query parameter names, or parts of names (split at "_", "-" and "."), that carry a secret, compared ignoring case:
    /// <c>api_key</c>, <c>X-Amz-Signature</c>, <c>client_secret</c> and <c>private_token</c> are secret, <c>keyword</c> is
    /// not. A name that starts with "session" is one too.
    /// </summary>
    public static readonly IReadOnlySet<string> SecretParameterNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "token", "key", "apikey", "api_key", "secret", "password", "passwd", "pwd", "auth", "access_token", "sig", "signature",
        "credential", "credentials", "accesstoken", "authtoken",
    };

    /// <summary>True when a query parameter of this name holds a secret (see <see cref="SecretParameterNames"/>).</summary>
    public static bool IsSecretParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decoded = Uri.UnescapeDataString(name);
        return SecretParameterNames.Contains(decoded)
            || decoded.StartsWith("session", StringComparison.OrdinalIgnoreCase)
            || decoded.Split(['_', '-', '.']).Any(SecretParameterNames.Contains);
    }

    /// <summary>The URL as it may be shown: user info and secret parameter values replaced by <see cref="Mask"/>.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return RedactText(url.IsAbsoluteUri ? url.AbsoluteUri : url.OriginalString);
    }

    /// <summary>
    /// Redacts every URL, or part of one (a path and query), in free text: a failure's detail, an error message, a warning.
    /// Text without one is returned as it is.
    /// </summary>
    public static string RedactText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var withoutUserInfo = UserInfo().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        return Parameter().Replace(withoutUserInfo, m => IsSecretParameter(m.Groups["name"].Value)
            ? m.Groups["lead"].Value + m.Groups["name"].Value + "=" + Mask
            : m.Value);
    }

    /// <summary>
    /// The URL without its user info and secret parameters: the address a listing is parsed with, so that no link resolved
    /// against it (a summary's "#top" keeps the page's query), and so no feed, carries a password or a token. The fetch
    /// itself uses the URL as configured.
    /// </summary>
    public static Uri WithoutCredentials(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.IsFile)
        {
            return url;
        }

        var parameters = url.Query.TrimStart('?').Split('&');
        var kept = parameters.Where(p => !IsSecretParameter(p.Split('=')[0])).ToArray();
        if (url.UserInfo.Length == 0 && kept.Length == parameters.Length)
        {
            return url;
        }

        return new UriBuilder(url) { UserName = "", Password = "", Query = string.Join('&', kept) }.Uri;
    }

    // "scheme://" then user info: anything up to "@" that cannot be a host's end (no "/", "?", "#" or space before it).
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    // A query (or fragment) parameter: after "?", "&", ";" or "#", a name, "=", and a value up to the next separator, space
    // or quote (a URL quoted in a message keeps its closing quote).
    [GeneratedRegex(@"(?<lead>[?&;#])(?<name>[^=&;#?\s""'<>]+)=(?<value>[^&;#\s""'<>]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Parameter();
}
