using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;

namespace CoopFeeds.Core.Sources;

/// <summary>
/// One parsed selector of the sources file: a CSS selector (null means the item element itself)
/// and an optional attribute to read (<c>"time@datetime"</c>, <c>"@href"</c>).
/// </summary>
public sealed record FieldSelector(string Text, ISelector? Css, string? Attribute)
{
    private static readonly CssSelectorParser Parser = new();

    /// <summary>Parses <c>"css"</c>, <c>"css@attr"</c> or <c>"@attr"</c>; returns null with a reason when AngleSharp cannot parse it.</summary>
    public static FieldSelector? TryParse(string text, out string? error)
    {
        error = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "is empty";
            return null;
        }

        var at = FindAttributeSeparator(trimmed);
        var css = at < 0 ? trimmed : trimmed[..at].Trim();
        string? attribute = at < 0 ? null : trimmed[(at + 1)..].Trim();

        if (attribute is not null && !IsAttributeName(attribute))
        {
            error = $"has an invalid attribute name '{attribute}' after '@'";
            return null;
        }

        if (css.Length == 0)
        {
            if (attribute is null)
            {
                error = "is empty";
                return null;
            }
            return new FieldSelector(trimmed, null, attribute);
        }

        var parsed = Parser.ParseSelector(css);
        if (parsed is null)
        {
            error = $"is not a CSS selector AngleSharp can parse: '{css}'";
            return null;
        }
        return new FieldSelector(trimmed, parsed, attribute);
    }

    /// <summary>The last '@' outside brackets, parentheses and quotes: <c>a[href^="mailto:x@y"]@href</c> splits before "href".</summary>
    private static int FindAttributeSeparator(string text)
    {
        var depth = 0;
        char? quote = null;
        var found = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == '\\') i++;
                else if (c == quote) quote = null;
                continue;
            }
            switch (c)
            {
                case '"' or '\'': quote = c; break;
                case '[' or '(': depth++; break;
                case ']' or ')': depth--; break;
                case '@' when depth == 0: found = i; break;
            }
        }
        return found;
    }

    private static bool IsAttributeName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.');
}

/// <summary>The selectors of one source, parsed once at start and reused for every page.</summary>
public sealed record ListingSelectors
{
    public required FieldSelector Item { get; init; }
    public required FieldSelector Title { get; init; }
    public FieldSelector? Link { get; init; }
    public FieldSelector? Date { get; init; }
    public FieldSelector? Summary { get; init; }
    public FieldSelector? Category { get; init; }
    public FieldSelector? Group { get; init; }
    public FieldSelector? NextPage { get; init; }
}
