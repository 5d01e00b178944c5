using System.Text;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace CoopFeeds.Core.Normalization;

/// <summary>An item's summary as a reader may see it: sanitized HTML and its plain text. Either may be null.</summary>
public sealed record SanitizedSummary(string? Html, string? Text)
{
    public static readonly SanitizedSummary None = new(null, null);

    /// <summary>The length the sanitized HTML had before it was cut to the limit; null when it was not cut.</summary>
    public int? CutFromLength { get; init; }
}

/// <summary>
/// Makes a summary's inner HTML safe to republish: the last stage before an item is stored ("sanitize last",
/// docs/architecture.md#how-the-code-reads), so that nothing after it can bring markup back in.
/// </summary>
/// <remarks>
/// An allow-list, not a block-list (OWASP XSS Prevention, rule on HTML sanitization):
/// <list type="bullet">
/// <item>Elements whose content is code or controls (script, style, iframe, object, embed, form and its
/// controls, svg, math, template, noscript, media) go with their content. Other elements not allowed are
/// unwrapped and their content kept; sectioning elements (section, article, header…) become div first so
/// that their text does not run together.</item>
/// <item>Attributes href, src, alt and title only: no style, class, id or on* handler. URLs only http,
/// https and mailto, made absolute against the item's base URL.</item>
/// <item>Headings are demoted two levels (h1 → h3, h4–h6 → h6): in a reader the item's title is the top
/// heading, and a summary's own h1 would outrank it.</item>
/// <item>Lazy-loaded images (data-src with no src, or a data: placeholder) get their real src first.</item>
/// <item>A link whose href was refused (javascript:…) is unwrapped to its text: a link to nowhere.</item>
/// <item>The page's indentation goes: whitespace runs outside &lt;pre&gt; become one space, none at block edges.</item>
/// <item>HTML longer than the limit is cut between nodes, or at a word inside a text node, never inside a tag, an
/// attribute or an entity, and ends with "…": the cut is made on the sanitized DOM, so what is left is as well-formed
/// and as safe as the whole.</item>
/// </list>
/// The output is serialized from a DOM, so every element is closed and the fragment fits in a &lt;div&gt;;
/// it is HTML5 serialization (&lt;br&gt;, not &lt;br /&gt;), for the writers to escape as text, and holds no
/// character XML 1.0 forbids.
/// </remarks>
public static partial class SummarySanitizer
{
    private static readonly string[] AllowedTags =
    [
        "p", "br", "hr", "div", "span",
        "a", "em", "strong", "b", "i", "u", "s", "small", "mark", "del", "ins", "sub", "sup", "abbr", "cite", "q", "code", "kbd", "samp", "var",
        "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "img", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    ];

    /// <summary>Removed with everything inside: their content is code, styling, embedded documents or form controls, never text to read.</summary>
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "link", "meta", "base", "title", "head",
        "iframe", "frame", "frameset", "object", "embed", "applet", "param", "noscript", "noembed", "noframes", "template",
        "form", "input", "button", "select", "option", "optgroup", "datalist", "textarea", "output",
        "svg", "math", "canvas", "audio", "video", "track", "map", "dialog",
    };

    /// <summary>Block containers that are not allowed as such but whose content is: made div so that blocks stay apart.</summary>
    private static readonly HashSet<string> BlockContainers = new(StringComparer.OrdinalIgnoreCase)
    {
        "section", "article", "header", "footer", "aside", "main", "nav", "address", "details", "summary",
        "hgroup", "center", "fieldset", "legend", "search",
    };

    /// <summary>Elements after which plain text needs a space, so that "&lt;p&gt;a&lt;/p&gt;&lt;p&gt;b&lt;/p&gt;" reads "a b".</summary>
    private static readonly HashSet<string> BlockElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
        "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    };

    private static readonly string[] LazySourceAttributes = ["data-src", "data-lazy-src", "data-original"];

    // Configured once and never changed: HtmlSanitizer's Sanitize methods are then safe to call from several threads.
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    // One empty document per thread, made once, that each summary is parsed into (in a div of its own, removed after):
    // a new parser and document per summary cost more than sanitizing it (bench/README.md, "Where the first pass spends
    // its time"). A document is not meant to be shared between threads.
    [ThreadStatic]
    private static IHtmlDocument? t_document;

    /// <summary>
    /// Sanitizes <paramref name="html"/> (a summary element's inner HTML) and derives its plain text.
    /// <see cref="SanitizedSummary.None"/> when nothing is left: no text and no image. A summary with an image
    /// and no text keeps its HTML and has no text. HTML longer than <paramref name="maxLength"/> characters is cut to it
    /// (see remarks), and the plain text is that of what is left.
    /// </summary>
    public static SanitizedSummary Sanitize(string? html, Uri baseUri, int maxLength = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        ArgumentNullException.ThrowIfNull(baseUri);
        if (string.IsNullOrWhiteSpace(html))
        {
            return SanitizedSummary.None;
        }

        var document = t_document ??= new HtmlParser().ParseDocument("<!doctype html><html><body></body></html>");
        var container = (IHtmlElement)document.CreateElement("div");
        document.Body!.AppendChild(container);
        try
        {
            return Sanitize(document, container, html, baseUri, maxLength);
        }
        finally
        {
            container.Remove(); // the thread's document is empty again for its next summary
        }
    }

    private static SanitizedSummary Sanitize(IHtmlDocument document, IHtmlElement container, string html, Uri baseUri, int maxLength)
    {
        container.InnerHtml = html; // parsed as a fragment in a div: what the output will be inserted into

        Prepare(document, container);
        Sanitizer.SanitizeDom(document, container, baseUri.IsAbsoluteUri ? baseUri.AbsoluteUri : "");
        Finish(container);

        var markup = Serialize(container);
        int? cutFrom = null;
        if (markup.Length > maxLength)
        {
            cutFrom = markup.Length;
            Cut(document, container, maxLength);
            markup = Serialize(container);
        }

        var text = TextCleaner.Normalize(PlainText(container));
        if (text.Length == 0 && container.QuerySelector("img") is null)
        {
            return SanitizedSummary.None;
        }

        return new SanitizedSummary(markup, text.Length > 0 ? text : null) { CutFromLength = cutFrom };
    }

    private static string Serialize(INode node) => TextCleaner.RemoveXmlForbidden(node.ChildNodes.ToHtml(HtmlFormatter.Instance).Trim());

    /// <summary>
    /// Keeps the start of the summary that serializes to at most <paramref name="maxLength"/> characters with the ellipsis
    /// at its end. Whole nodes are kept while they fit; the first that does not is entered (an element whose tags fit) or
    /// cut at a word (text), and everything after it goes. Cutting whole DOM nodes and text data, never serialized markup,
    /// is what keeps every tag and entity whole and every element closed.
    /// </summary>
    private static void Cut(IDocument document, IElement container, int maxLength)
    {
        KeepWithin(container, maxLength - TextCleaner.Ellipsis.Length);

        // At the end of the last text left, so it is never text where a list or a table allows none.
        if (container.GetDescendants().OfType<IText>().LastOrDefault() is { } last)
        {
            last.Data = last.Data.TrimEnd() + TextCleaner.Ellipsis;
        }
        else
        {
            container.AppendChild(document.CreateTextNode(TextCleaner.Ellipsis));
        }
    }

    private static void KeepWithin(INode parent, int budget)
    {
        var children = parent.ChildNodes.ToList();
        for (var i = 0; i < children.Count; i++)
        {
            var child = children[i];
            var length = child.ToHtml(HtmlFormatter.Instance).Length;
            if (length <= budget)
            {
                budget -= length;
                continue;
            }

            foreach (var later in children.Skip(i + 1))
            {
                parent.RemoveChild(later);
            }

            switch (child)
            {
                case IText text:
                    // Any word boundary in the node will do: a text node cut short is usually the end of a sentence or a link.
                    var keep = TextCleaner.CutPoint(text.Data, FittingChars(text.Data, budget), minKeep: 0);
                    text.Data = text.Data[..keep].TrimEnd();
                    if (text.Data.Length == 0) text.Remove();
                    break;
                case IElement element when length - element.ChildNodes.ToHtml(HtmlFormatter.Instance).Length is var tags && tags < budget:
                    KeepWithin(element, budget - tags);
                    if (!element.HasChildNodes) element.Remove(); // nothing of it fitted: no empty link or paragraph
                    break;
                default:
                    parent.RemoveChild(child);
                    break;
            }

            return;
        }
    }

    /// <summary>How many characters of text data serialize (escaped as HTML text: &amp;amp; &amp;lt; &amp;gt; &amp;nbsp;) within the budget.</summary>
    private static int FittingChars(string data, int budget)
    {
        var used = 0;
        for (var i = 0; i < data.Length; i++)
        {
            used += data[i] switch
            {
                '&' => 5,
                '<' or '>' => 4,
                '\u00A0' => 6,
                _ => 1,
            };
            if (used > budget) return i;
        }

        return data.Length;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var options = HtmlSanitizerOptions.Empty();
        foreach (var tag in AllowedTags)
        {
            options.AllowedTags.Add(tag);
        }

        foreach (var attribute in new[] { "href", "src", "alt", "title" })
        {
            options.AllowedAttributes.Add(attribute);
        }

        foreach (var scheme in new[] { "http", "https", "mailto" })
        {
            options.AllowedSchemes.Add(scheme);
        }

        options.UriAttributes.Add("href");
        options.UriAttributes.Add("src");

        // Elements not allowed are unwrapped rather than deleted with their text; those whose content must
        // go are removed before the sanitizer runs (Prepare).
        var sanitizer = new HtmlSanitizer(options) { KeepChildNodes = true };

        // A URL still relative after resolution (the base itself was relative) would point into the feed
        // reader's site, not the source's: drop it.
        sanitizer.FilterUrl += (_, e) =>
        {
            if (e.SanitizedUrl is { } url && !Uri.TryCreate(url, UriKind.Absolute, out Uri? _))
            {
                e.SanitizedUrl = null;
            }
        };
        return sanitizer;
    }

    /// <summary>
    /// Before the sanitizer, in one walk of the tree in document order: elements whose content must go are removed with it,
    /// lazy images get their real src, sectioning elements become div and headings are demoted. A walk by hand, with no
    /// selector to parse and no list of elements to build, since it runs for every item of every page.
    /// </summary>
    private static void Prepare(IDocument document, INode parent)
    {
        var children = parent.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            if (children[i] is not IElement element)
            {
                continue;
            }

            // Raw-text elements (script, style, xmp, iframe…) hold no markup, only code or escaped text.
            if (DroppedWithContent.Contains(element.LocalName) || element.Flags.HasFlag(NodeFlags.LiteralText)
                || element.NamespaceUri != NamespaceNames.HtmlUri)
            {
                element.Remove();
                i--;
                continue;
            }

            var name = element.LocalName;
            if (name == "img")
            {
                UseLazySource(element);
            }

            if (BlockContainers.Contains(name))
            {
                element = Rename(document, element, "div");
            }
            else if (name is ['h', >= '1' and <= '6'])
            {
                element = Rename(document, element, "h" + Math.Min(name[1] - '0' + 2, 6));
            }

            Prepare(document, element);
        }
    }

    private static void UseLazySource(IElement image)
    {
        var src = image.GetAttribute("src");
        if (string.IsNullOrWhiteSpace(src) || src.TrimStart().StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var attribute in LazySourceAttributes)
            {
                if (image.GetAttribute(attribute) is { } real && !string.IsNullOrWhiteSpace(real))
                {
                    image.SetAttribute("src", real);
                    return;
                }
            }
        }
    }

    /// <summary>
    /// After the sanitizer: images whose src was refused go and links whose href was refused are unwrapped; then, once the
    /// tree has its final shape (whitespace at a block's edge depends on what follows it), whitespace is collapsed and what
    /// XML forbids is removed from text and attribute values. Walks of the tree in document order, as in <see cref="Prepare"/>.
    /// </summary>
    private static void Finish(IElement container)
    {
        RemoveRefused(container);
        CleanText(container, container, insidePre: false);
    }

    private static void RemoveRefused(INode parent)
    {
        var children = parent.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            switch (children[i])
            {
                case IElement { LocalName: "img" } image when !image.HasAttribute("src"):
                    image.Remove(); // its src was refused: nothing left to show
                    i--;
                    break;
                case IElement { LocalName: "a" } anchor when !anchor.HasAttribute("href"):
                    Unwrap(anchor); // its href was refused (javascript:…): a link to nowhere, keep only its text
                    i--; // its first child, if any, is now where it was
                    break;
                case IElement element:
                    RemoveRefused(element);
                    break;
            }
        }
    }

    private static void CleanText(IElement container, INode parent, bool insidePre)
    {
        var children = parent.ChildNodes;
        for (var i = 0; i < children.Length; i++)
        {
            switch (children[i])
            {
                case IText text:
                    if (!insidePre && !CollapseWhitespace(text, container))
                    {
                        i--; // it was only whitespace at a block's edge, and is gone
                        continue;
                    }

                    var clean = TextCleaner.RemoveXmlForbidden(text.Data);
                    if (!ReferenceEquals(clean, text.Data))
                    {
                        text.Data = clean;
                    }

                    break;
                case IElement element:
                    RemoveXmlForbidden(element);
                    CleanText(container, element, insidePre || element.LocalName == "pre");
                    break;
            }
        }
    }

    private static void RemoveXmlForbidden(IElement element)
    {
        foreach (var attribute in element.Attributes)
        {
            if (!TextCleaner.IsXmlSafe(attribute.Value))
            {
                foreach (var unsafeAttribute in element.Attributes.ToList())
                {
                    element.SetAttribute(unsafeAttribute.Name, TextCleaner.RemoveXmlForbidden(unsafeAttribute.Value));
                }

                return;
            }
        }
    }

    private static void Unwrap(IElement element)
    {
        var parent = element.Parent;
        if (parent is null)
        {
            return;
        }

        while (element.FirstChild is { } child)
        {
            parent.InsertBefore(child, element);
        }

        element.Remove();
    }

    /// <summary>
    /// Drops the page's source formatting, as a browser does when it renders (CSS 2.1 §16.6.1, white-space: normal):
    /// runs of spaces, tabs and newlines become one space, and none is kept at the edge of a block or next to a
    /// line break, so feeds do not carry the page's indentation. Text inside &lt;pre&gt; is left as it is (the caller's
    /// walk does not come here for it). Only ASCII whitespace: a no-break space is meant.
    /// </summary>
    /// <returns>False when nothing was left of the text and it was removed.</returns>
    private static bool CollapseWhitespace(IText text, IElement container)
    {
        var data = CollapseRuns(text.Data);
        if (IsAtBlockEdge(text, container, forward: false))
        {
            data = data.TrimStart(' ');
        }

        if (IsAtBlockEdge(text, container, forward: true))
        {
            data = data.TrimEnd(' ');
        }

        if (data.Length == 0)
        {
            text.Remove();
            return false;
        }

        if (data != text.Data)
        {
            text.Data = data;
        }

        return true;
    }

    /// <summary>Each run of HTML whitespace (space, tab, LF, CR, FF) as one space; the text itself when it has no run to change.</summary>
    private static string CollapseRuns(string data)
    {
        var first = 0;
        while (first < data.Length && !(IsHtmlWhitespace(data[first]) && (data[first] != ' ' || first + 1 < data.Length && IsHtmlWhitespace(data[first + 1]))))
        {
            first++;
        }

        if (first == data.Length)
        {
            return data;
        }

        var collapsed = new StringBuilder(data.Length).Append(data, 0, first);
        for (var i = first; i < data.Length; i++)
        {
            if (!IsHtmlWhitespace(data[i]))
            {
                collapsed.Append(data[i]);
            }
            else if (i == first || !IsHtmlWhitespace(data[i - 1]))
            {
                collapsed.Append(' ');
            }
        }

        return collapsed.ToString();
    }

    private static bool IsHtmlWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    /// <summary>
    /// True when nothing inline separates the node from a block boundary on that side: the next (or previous) thing in
    /// the flow, looking out through inline parents ("&lt;b&gt;day. &lt;/b&gt;&lt;/p&gt;"), is a block element, the edge
    /// of a block, or the edge of the summary.
    /// </summary>
    private static bool IsAtBlockEdge(INode node, IElement container, bool forward)
    {
        var current = node;
        while (true)
        {
            var sibling = forward ? current.NextSibling : current.PreviousSibling;
            if (sibling is IElement element)
            {
                return BlockElements.Contains(element.LocalName);
            }

            if (sibling is not null)
            {
                return false; // text (or a comment) follows
            }

            var parent = current.Parent;
            if (parent is null || parent == container || parent is IElement { LocalName: var name } && BlockElements.Contains(name))
            {
                return true;
            }

            current = parent;
        }
    }

    private static IElement Rename(IDocument document, IElement element, string name)
    {
        var replacement = document.CreateElement(name);
        while (element.FirstChild is { } child)
        {
            replacement.AppendChild(child);
        }

        element.Parent?.ReplaceChild(replacement, element);
        return replacement;
    }

    private static string PlainText(INode node)
    {
        var text = new StringBuilder();
        AppendText(node, text);
        return text.ToString();
    }

    private static void AppendText(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText textNode)
            {
                text.Append(textNode.Data);
            }
            else if (child is IElement element)
            {
                var block = BlockElements.Contains(element.LocalName);
                if (block)
                {
                    text.Append(' ');
                }

                AppendText(element, text);
                if (block)
                {
                    text.Append(' ');
                }
            }
        }
    }
}
