using CoopFeeds.Core;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.SuggestionAccuracy;

/// <summary>How well one candidate's items reproduce a page's expected items.</summary>
internal sealed record Accuracy(double F1, double Title, double Date, double Summary, double Category, int Got, int Expected, int Matched)
{
    public static readonly Accuracy None = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Item F1 = 1.0 and every field at least 0.95: the candidate reproduces the page.</summary>
    public bool Reproduces => F1 >= 0.999 && Title >= 0.95 && Date >= 0.95 && Summary >= 0.95 && Category >= 0.95;

    /// <summary>The fields that fall short of 0.95, for the notes.</summary>
    public IEnumerable<string> Shortfalls()
    {
        if (F1 < 0.999) yield return $"items {Got} got / {Expected} expected / {Matched} matched";
        if (Title < 0.95) yield return "title";
        if (Date < 0.95) yield return "date";
        if (Summary < 0.95) yield return "summary";
        if (Category < 0.95) yield return "category";
    }

    /// <summary>
    /// Items are matched by normalized link (the identity key: no scheme, no fragment, no tracking parameters), or by title
    /// when neither has a link. Over matched items: title equal after whitespace collapse; date the same calendar date
    /// (yyyy-MM-dd as the page gave it); summary similar to at least 0.9; category equal. A missing field on both sides agrees.
    /// </summary>
    public static Accuracy Of(IReadOnlyList<Item> got, IReadOnlyList<ExpectedItem> expected)
    {
        var byKey = new Dictionary<string, Item>(StringComparer.Ordinal);
        foreach (var item in got) byKey.TryAdd(KeyOf(item.Link?.AbsoluteUri, item.Title), item);
        var pairs = expected.Select(e => (Expected: e, Got: byKey.GetValueOrDefault(KeyOf(e.Link, e.Title)))).Where(p => p.Got is not null).ToList();

        var matched = pairs.Count;
        var precision = got.Count == 0 ? 0 : matched / (double)got.Count;
        var recall = expected.Count == 0 ? 0 : matched / (double)expected.Count;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        double Share(Func<ExpectedItem, Item, bool> agrees) => matched == 0 ? 0 : pairs.Count(p => agrees(p.Expected, p.Got!)) / (double)matched;

        return new Accuracy(
            f1,
            Share((e, g) => Collapse(e.Title) == Collapse(g.Title)),
            Share((e, g) => Day(e.Date) == Day(g.Published)),
            Share((e, g) => e.Summary is null ? g.Summary is null : g.Summary is not null && Similarity(Collapse(e.Summary), Collapse(g.Summary)) >= 0.9),
            Share((e, g) => e.Category == g.Category),
            got.Count, expected.Count, matched);
    }

    private static string KeyOf(string? link, string title) =>
        link is not null && Uri.TryCreate(link, UriKind.Absolute, out var uri) ? ItemIdentity.KeyFor(uri) : "title:" + Collapse(title);

    private static string? Day(DateTimeOffset? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string Collapse(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>1 − the edit distance over the longer length: 1 for the same text, 0.9 for a tenth of it changed.</summary>
    public static double Similarity(string a, string b)
    {
        if (a == b) return 1;
        if (a.Length == 0 || b.Length == 0) return 0;
        // Bounded: summaries are cut to a few thousand characters.
        a = a.Length > 2000 ? a[..2000] : a;
        b = b.Length > 2000 ? b[..2000] : b;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return 1 - previous[b.Length] / (double)Math.Max(a.Length, b.Length);
    }
}
