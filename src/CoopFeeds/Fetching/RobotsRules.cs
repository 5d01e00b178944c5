using System.Text;
using System.Text.RegularExpressions;

namespace CoopFeeds.Fetching;

/// <summary>
/// The rules of one robots.txt for one crawler (RFC 9309): the groups naming our product token, else the <c>*</c> groups,
/// merged; the longest matching Allow/Disallow path wins, Allow on a tie; <c>*</c> matches any run of characters and a
/// trailing <c>$</c> anchors the end.
/// </summary>
public sealed class RobotsRules
{
    /// <summary>RFC 9309 2.5: crawlers must parse at least 500 KiB; the rest may be ignored.</summary>
    public const int MaxBytes = 500 * 1024;

    public static readonly RobotsRules AllowAll = new([]);

    private readonly IReadOnlyList<Rule> _rules;

    private RobotsRules(IReadOnlyList<Rule> rules) => _rules = rules;

    /// <param name="userAgent">Our User-Agent; its product token (the text before the first '/' or space) names our group.</param>
    public static RobotsRules Parse(string text, string userAgent)
    {
        var token = ProductToken(userAgent);
        var ours = new List<Rule>();
        var star = new List<Rule>();
        var agents = new List<string>();
        var inRules = false;

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine;
            var hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();

            switch (key)
            {
                case "user-agent":
                    if (inRules)
                    {
                        agents.Clear();
                        inRules = false;
                    }
                    agents.Add(ProductToken(value));
                    break;
                case "allow" or "disallow":
                    inRules = true;
                    if (agents.Count == 0 || value.Length == 0) break; // an empty Disallow allows everything: no rule
                    var rule = new Rule(key == "allow", Normalize(value));
                    if (agents.Any(a => string.Equals(a, token, StringComparison.OrdinalIgnoreCase))) ours.Add(rule);
                    if (agents.Contains("*")) star.Add(rule);
                    break;
                default:
                    // Sitemap, Crawl-delay and the like neither end nor start a group.
                    break;
            }
        }

        var matchedOurs = OursNamed(text, token);
        return new RobotsRules(matchedOurs ? ours : star);
    }

    /// <summary>True when our crawler may fetch <paramref name="url"/> (its path and query are matched).</summary>
    public bool Allows(Uri url)
    {
        var path = url.AbsolutePath == "/robots.txt" ? null : Normalize(url.PathAndQuery);
        if (path is null) return true;

        Rule? best = null;
        foreach (var rule in _rules)
        {
            if (!rule.Matches(path)) continue;
            if (best is null || rule.Length > best.Length || (rule.Length == best.Length && rule.Allow)) best = rule;
        }
        return best?.Allow ?? true;
    }

    /// <summary>The rule that decides <paramref name="url"/>, for the status detail (null when no rule matches).</summary>
    public string? DecidingRule(Uri url)
    {
        var path = Normalize(url.PathAndQuery);
        return _rules.Where(r => r.Matches(path))
            .OrderByDescending(r => r.Length).ThenByDescending(r => r.Allow)
            .Select(r => $"{(r.Allow ? "Allow" : "Disallow")}: {r.Pattern}")
            .FirstOrDefault();
    }

    private static bool OursNamed(string text, string token) =>
        text.Split('\n')
            .Select(l => l.Split('#')[0])
            .Where(l => l.TrimStart().StartsWith("user-agent", StringComparison.OrdinalIgnoreCase) && l.Contains(':'))
            .Any(l => string.Equals(ProductToken(l[(l.IndexOf(':') + 1)..].Trim()), token, StringComparison.OrdinalIgnoreCase));

    private static string ProductToken(string userAgent)
    {
        var trimmed = userAgent.Trim();
        var end = trimmed.IndexOfAny(['/', ' ', '\t']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    /// <summary>Percent-encodes what is not printable ASCII and upper-cases escapes, so "/café" and "/caf%c3%a9" compare equal.</summary>
    private static string Normalize(string path)
    {
        var builder = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '%' && i + 2 < path.Length && Uri.IsHexDigit(path[i + 1]) && Uri.IsHexDigit(path[i + 2]))
            {
                builder.Append('%').Append(char.ToUpperInvariant(path[i + 1])).Append(char.ToUpperInvariant(path[i + 2]));
                i += 2;
            }
            else if (c > 0x20 && c < 0x7F)
            {
                builder.Append(c);
            }
            else
            {
                var length = char.IsHighSurrogate(c) && i + 1 < path.Length ? 2 : 1;
                foreach (var b in Encoding.UTF8.GetBytes(path.Substring(i, length))) builder.Append('%').Append(b.ToString("X2"));
                i += length - 1;
            }
        }
        return builder.ToString();
    }

    private sealed class Rule
    {
        private readonly Regex? _regex;

        public Rule(bool allow, string pattern)
        {
            Allow = allow;
            Pattern = pattern;
            Length = pattern.Length;
            var anchored = pattern.EndsWith('$');
            var body = anchored ? pattern[..^1] : pattern;
            if (body.Contains('*') || anchored)
            {
                var regex = "^" + string.Join(".*", body.Split('*').Select(Regex.Escape)) + (anchored ? "$" : "");
                _regex = new Regex(regex, RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromMilliseconds(100));
            }
        }

        public bool Allow { get; }
        public string Pattern { get; }
        public int Length { get; }

        public bool Matches(string path)
        {
            if (_regex is null) return path.StartsWith(Pattern, StringComparison.Ordinal);
            try
            {
                return _regex.IsMatch(path);
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
    }
}
