using Microsoft.Extensions.Primitives;

namespace CoopFeeds.Publishing;

/// <summary>The partner filters a feed URL may carry: <c>?category=</c> (repeatable), <c>?q=</c>, <c>?limit=</c>.</summary>
public sealed record FeedQuery(IReadOnlyList<string> Categories, string? Text, int? Limit)
{
    public static readonly FeedQuery None = new([], null, null);

    private static readonly string[] Known = ["category", "q", "limit"];

    public bool IsFiltered => Categories.Count > 0 || Text is not null || Limit is not null;

    /// <summary>
    /// The filter as one string that is the same for every way of writing it, "" when unfiltered: parameters in a fixed order,
    /// categories and words folded to lower case, de-duplicated and sorted (the store matches both case-insensitively and
    /// as sets), each value percent-encoded. <c>?q=Coop%20ILO&amp;category=News</c> and <c>?category=news&amp;q=ilo++coop</c>
    /// give the same string, so they name one feed (its Atom id).
    /// </summary>
    public string Canonical
    {
        get
        {
            var parts = new List<string>();
            foreach (var category in Categories.Select(c => c.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal))
                parts.Add("category=" + Uri.EscapeDataString(category));
            if (Limit is { } limit)
                parts.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Text is not null)
            {
                var words = Text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Distinct().Order(StringComparer.Ordinal);
                parts.Add("q=" + Uri.EscapeDataString(string.Join(' ', words)));
            }
            return string.Join('&', parts);
        }
    }

    /// <summary>Parses the query string; any unknown or malformed parameter is a problem named in the result.</summary>
    public static (FeedQuery? Query, IReadOnlyList<string> Problems) Parse(IQueryCollection query, int maxLimit)
    {
        var problems = new List<string>();
        foreach (var key in query.Keys.Where(k => !Known.Contains(k, StringComparer.Ordinal)))
            problems.Add($"unknown parameter '{key}' (known: {string.Join(", ", Known)})");

        var categories = Values(query, "category")
            .Select(c => c.Trim())
            .ToList();
        if (categories.Any(c => c.Length == 0 || c.Length > 200))
            problems.Add("'category' must be between 1 and 200 characters");
        if (categories.Any(HasControlCharacter))
            problems.Add("'category' must not contain control characters");

        string? text = null;
        var q = Values(query, "q");
        if (q.Count > 1) problems.Add("'q' may be given once");
        else if (q.Count == 1)
        {
            text = q[0].Trim();
            if (text.Length is 0 or > 200) problems.Add("'q' must be between 1 and 200 characters");
            if (HasControlCharacter(text)) problems.Add("'q' must not contain control characters");
        }

        int? limit = null;
        var l = Values(query, "limit");
        if (l.Count > 1) problems.Add("'limit' may be given once");
        else if (l.Count == 1)
        {
            // Digits only, checked first: int.TryParse stops at a NUL and would read "5%00" as 5.
            if (l[0].Length is > 0 and <= 9 && l[0].All(char.IsAsciiDigit)
                && int.TryParse(l[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= maxLimit)
                limit = n;
            else
                problems.Add($"'limit' must be a whole number from 1 to {maxLimit} (got '{Uri.EscapeDataString(l[0])}')");
        }

        return problems.Count > 0 ? (null, problems) : (new FeedQuery(categories, text, limit), problems);
    }

    /// <summary>A control character other than white space (which separates words): a NUL or escape has no place in a filter.</summary>
    private static bool HasControlCharacter(string value) => value.Any(c => char.IsControl(c) && !char.IsWhiteSpace(c));

    private static List<string> Values(IQueryCollection query, string key) =>
        query.TryGetValue(key, out StringValues values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];
}
