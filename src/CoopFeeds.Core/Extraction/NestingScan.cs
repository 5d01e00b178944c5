namespace CoopFeeds.Core.Extraction;

/// <summary>
/// Measures how deeply a page's elements nest, in one linear pass over its characters, before an HTML parser builds it:
/// AngleSharp's tree builder looks through the stack of open elements on many start tags, so a page of n nested
/// &lt;div&gt;s costs it O(n²) — 28 CPU-seconds for a 1 MB page of 100,000 levels; it looks at a cancellation token only
/// between chunks of input, each of which costs more the deeper the page already is.
/// </summary>
/// <remarks>
/// A small model of the HTML tree builder (WHATWG HTML §13.2.6), made never to report much less than the parser would
/// build, and to stay close to the real depth for sloppy but ordinary pages:
/// <list type="bullet">
/// <item>An end tag closes the nearest open element of its name and every element opened after it, as the parser's "any
/// other end tag" does (an unclosed &lt;span&gt; ends with its parent); one with no open element of its name in scope
/// (behind a table, a cell, an object…) is ignored, as the parser ignores it.</item>
/// <item>The implied end tags that let ordinary pages leave elements open are followed: a &lt;p&gt;, &lt;li&gt;,
/// &lt;dt&gt;/&lt;dd&gt;, &lt;option&gt;, &lt;a&gt;, &lt;button&gt;, &lt;form&gt; or heading closes an open one of its kind
/// (a list item only within its own list); table rows and cells close what was left open in the previous one, and the
/// tbody and tr the parser adds are counted.</item>
/// <item>Void elements are not counted. Comments, doctypes, processing instructions and the content of raw-text elements
/// (script, style, textarea…) hold no tags; &lt;plaintext&gt; ends the markup.</item>
/// <item>In svg and math, "/&gt;" closes an element and every name nests (except at integration points such as
/// foreignObject, where HTML resumes); an HTML element such as &lt;div&gt; breaks out of them, as in the parser.</item>
/// </list>
/// Each step is O(1) amortized (an element is closed at most once), so the scan is linear in the page's length.
/// </remarks>
internal static class NestingScan
{
    private static readonly HashSet<string> Void = new(StringComparer.Ordinal)
    {
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen", "link",
        "meta", "param", "source", "track", "wbr",
        // Made once by the parser, whatever the page says.
        "html", "head", "body",
    };

    private static readonly HashSet<string> TableParts = new(StringComparer.Ordinal)
    {
        "caption", "colgroup", "tbody", "thead", "tfoot", "tr", "td", "th",
    };

    private static readonly HashSet<string> RawText = new(StringComparer.Ordinal)
    {
        "script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title",
    };

    /// <summary>Elements an end tag does not look past (§13.2.4.2 "has an element in scope").</summary>
    private static readonly HashSet<string> ScopeBoundaries = new(StringComparer.Ordinal)
    {
        "applet", "caption", "table", "td", "th", "marquee", "object", "template",
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc",
    };

    /// <summary>Foreign elements whose content is parsed as HTML again (§13.2.6.5 integration points; svg title too).</summary>
    private static readonly HashSet<string> IntegrationPoints = new(StringComparer.Ordinal)
    {
        "mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title",
    };

    /// <summary>Start tags that end svg or math content (§13.2.6.5, "a start tag whose tag name is one of").</summary>
    private static readonly HashSet<string> BreakOut = new(StringComparer.Ordinal)
    {
        "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2", "h3",
        "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s",
        "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
    };

    private static readonly string[] Headings = ["h1", "h2", "h3", "h4", "h5", "h6"];

    /// <summary>
    /// For a start tag: the open elements it closes (the nearest one, with everything opened after it), and the elements that
    /// stop the search besides the scope boundaries. A list item closes the one before it, not the one its list is in.
    /// </summary>
    private static readonly Dictionary<string, (string[] Closes, string[] StopAt)> ClosedByStartTag = new(StringComparer.Ordinal)
    {
        ["p"] = (["p"], ["button"]),
        ["li"] = (["li"], ["ul", "ol"]),
        ["dt"] = (["dt", "dd"], ["dl"]),
        ["dd"] = (["dt", "dd"], ["dl"]),
        ["option"] = (["option"], ["select"]),
        ["optgroup"] = (["option", "optgroup"], ["select"]),
        ["a"] = (["a"], []),
        ["button"] = (["button"], []),
        ["nobr"] = (["nobr"], []),
        ["form"] = (["form"], []),
        ["rb"] = (["rb", "rt", "rtc", "rp"], ["ruby"]),
        ["rt"] = (["rb", "rt", "rp"], ["ruby"]),
        ["rtc"] = (["rb", "rt", "rtc", "rp"], ["ruby"]),
        ["rp"] = (["rb", "rt", "rp"], ["ruby"]),
        ["h1"] = (Headings, []), ["h2"] = (Headings, []), ["h3"] = (Headings, []),
        ["h4"] = (Headings, []), ["h5"] = (Headings, []), ["h6"] = (Headings, []),
    };

    /// <summary>
    /// The deepest nesting of elements in <paramref name="html"/>, or the first depth past <paramref name="limit"/>: the scan
    /// stops there, since a deeper page is refused whatever its depth.
    /// </summary>
    public static int MaxDepth(ReadOnlySpan<char> html, int limit) => new Scanner(limit).Run(html);

    private sealed class Scanner(int limit)
    {
        private readonly List<(string Name, bool Foreign)> _open = [];
        private readonly Dictionary<string, Stack<int>> _positions = new(StringComparer.Ordinal); // where each open name sits
        private readonly Stack<int> _boundaries = new();
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);
        private int _deepest;

        public int Run(ReadOnlySpan<char> html)
        {
            var i = 0;
            while (i < html.Length && _deepest <= limit)
            {
                var lt = html[i..].IndexOf('<');
                if (lt < 0) break;
                i += lt + 1;
                if (i >= html.Length) break;

                var c = html[i];
                if (c is '!' or '?')
                {
                    i = html[i..].StartsWith("!--") ? SkipPast(html, i + 3, "-->") : SkipPast(html, i, ">");
                    continue;
                }

                var end = c == '/';
                if (end) i++;
                if (i >= html.Length || !char.IsAsciiLetter(html[i])) continue; // "<" as text, "</>", "< x"

                var nameStart = i;
                while (i < html.Length && !IsTagNameEnd(html[i])) i++;
                var name = Name(html[nameStart..i]);
                i = SkipAttributes(html, i, out var selfClosing);

                if (end)
                {
                    // A table's end tags look through its cells (a "</table>" after an unclosed cell closes both).
                    var index = name == "table" ? InnermostTable() : TableParts.Contains(name) ? NearestInTable([name]) : Nearest([name], []);
                    if (index is { } at) CloseFrom(at);
                    continue;
                }

                if (InForeignContent() && BreakOut.Contains(name))
                {
                    while (InForeignContent()) CloseFrom(_open.Count - 1);
                }

                if (InForeignContent() || name is "svg" or "math")
                {
                    if (!selfClosing) Open(name, foreign: true);
                    continue;
                }

                if (name == "plaintext") break;
                if (RawText.Contains(name))
                {
                    i = SkipRawText(html, i, name);
                    continue;
                }
                if (Void.Contains(name)) continue;
                OpenHtml(name);
            }
            return _deepest;
        }

        /// <summary>The tag name lower-cased, one string per name: a page has a few dozen names and a million tags.</summary>
        private string Name(ReadOnlySpan<char> tag)
        {
            Span<char> lower = stackalloc char[Math.Min(tag.Length, 64)];
            if (tag.Length > lower.Length) return tag.ToString().ToLowerInvariant();
            tag.ToLowerInvariant(lower);
            var lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(lower, out var name))
            {
                name = lower.ToString();
                _names.Add(name);
            }
            return name;
        }

        private bool InForeignContent() => _open.Count > 0 && _open[^1].Foreign && !IntegrationPoints.Contains(_open[^1].Name);

        private void OpenHtml(string name)
        {
            if (TableParts.Contains(name))
            {
                // Outside a table the parser ignores them; inside, a row or cell first closes what the previous one left open,
                // and a row or cell written straight into the table gets the tbody (and tr) the parser adds.
                if (InnermostTable() is not { } table) return;
                if (name is "td" or "th")
                {
                    if (NearestInTable(["tr"]) is { } row) CloseFrom(row + 1);
                    else OpenRow(table);
                }
                else if (name == "tr")
                {
                    if (NearestInTable(["tbody", "thead", "tfoot"]) is { } group) CloseFrom(group + 1);
                    else
                    {
                        CloseFrom(table + 1);
                        Open("tbody", foreign: false);
                    }
                }
                else
                {
                    CloseFrom(table + 1);
                }
            }
            else if (ClosedByStartTag.TryGetValue(name, out var rule) && Nearest(rule.Closes, rule.StopAt) is { } index)
            {
                CloseFrom(index);
            }
            Open(name, foreign: false);
        }

        private void OpenRow(int table)
        {
            if (NearestInTable(["tbody", "thead", "tfoot"]) is { } group) CloseFrom(group + 1);
            else
            {
                CloseFrom(table + 1);
                Open("tbody", foreign: false);
            }
            Open("tr", foreign: false);
        }

        private int? InnermostTable() => _positions.TryGetValue("table", out var at) && at.Count > 0 ? at.Peek() : null;

        /// <summary>The nearest open element named in <paramref name="names"/> inside the innermost table ("in table scope").</summary>
        private int? NearestInTable(string[] _names)
        {
            var table = InnermostTable() ?? -1;
            var found = -1;
            foreach (var name in _names)
                if (_positions.TryGetValue(name, out var at) && at.Count > 0) found = Math.Max(found, at.Peek());
            return found > table ? found : null;
        }

        private void Open(string name, bool foreign)
        {
            _open.Add((name, foreign));
            if (!_positions.TryGetValue(name, out var at)) _positions[name] = at = new Stack<int>();
            at.Push(_open.Count - 1);
            if (ScopeBoundaries.Contains(name) || name is "svg" or "math") _boundaries.Push(_open.Count - 1);
            _deepest = Math.Max(_deepest, _open.Count);
        }

        /// <summary>The position of the nearest open element named in <paramref name="names"/>, if no boundary or stop comes first.</summary>
        private int? Nearest(string[] _names, string[] stopAt)
        {
            var found = -1;
            foreach (var name in _names)
                if (_positions.TryGetValue(name, out var at) && at.Count > 0) found = Math.Max(found, at.Peek());
            if (found < 0) return null;
            var stop = _boundaries.Count > 0 ? _boundaries.Peek() : -1;
            foreach (var name in stopAt)
                if (_positions.TryGetValue(name, out var at) && at.Count > 0) stop = Math.Max(stop, at.Peek());
            // An element that is itself the boundary (a table, for "</table>") is in scope; one behind a newer boundary is not.
            return found >= stop ? found : null;
        }

        private void CloseFrom(int index)
        {
            for (var k = _open.Count - 1; k >= index; k--)
            {
                _positions[_open[k].Name].Pop();
                if (_boundaries.Count > 0 && _boundaries.Peek() == k) _boundaries.Pop();
                _open.RemoveAt(k);
            }
        }
    }

    private static bool IsTagNameEnd(char c) => c is '>' or '/' or ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>Index just past the tag's closing "&gt;"; an attribute value in quotes may hold "&gt;" (§13.2.5.32–38).</summary>
    private static int SkipAttributes(ReadOnlySpan<char> html, int i, out bool selfClosing)
    {
        selfClosing = false;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '>') return i + 1;
            if (c == '/')
            {
                selfClosing = i + 1 < html.Length && html[i + 1] == '>';
                i++;
                continue;
            }
            if (c == '=')
            {
                i++;
                while (i < html.Length && html[i] is ' ' or '\t' or '\n' or '\r' or '\f') i++;
                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var close = html[(i + 1)..].IndexOf(html[i]);
                    i = close < 0 ? html.Length : i + 1 + close + 1;
                }
                continue;
            }
            i++;
        }
        return i;
    }

    /// <summary>Index just past the end tag of the raw-text element <paramref name="name"/>: its content is text (§13.2.5.2–3).</summary>
    private static int SkipRawText(ReadOnlySpan<char> html, int i, string name)
    {
        while (i < html.Length)
        {
            var close = html[i..].IndexOf("</", StringComparison.Ordinal);
            if (close < 0) return html.Length;
            i += close + 2;
            if (html[i..].StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && (i + name.Length == html.Length || IsTagNameEnd(html[i + name.Length])))
            {
                return SkipAttributes(html, i + name.Length, out _);
            }
        }
        return i;
    }

    private static int SkipPast(ReadOnlySpan<char> html, int i, string terminator)
    {
        var at = html[i..].IndexOf(terminator, StringComparison.Ordinal);
        return at < 0 ? html.Length : i + at + terminator.Length;
    }
}
