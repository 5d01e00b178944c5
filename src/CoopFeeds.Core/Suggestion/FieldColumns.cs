using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Suggestion;

/// <summary>
/// One relative selector applied to every member of a group, as the extractor applies a field selector: the first
/// element under the item it matches (null where none), and that element's text as a reader sees it.
/// </summary>
internal sealed class Column
{
    public required string Css { get; init; }
    public required FieldSelector Selector { get; init; }
    public required double Cost { get; init; }
    public required IReadOnlyList<IElement?> Elements { get; init; }
    public required IReadOnlyList<string> Texts { get; init; }

    public int Coverage => Texts.Count(t => t.Length > 0);

    public int Distinct => Texts.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Count();

    public double AverageLength => Coverage == 0 ? 0 : Texts.Where(t => t.Length > 0).Average(t => t.Length);

    public double AverageWords => Coverage == 0 ? 0 : Texts.Where(t => t.Length > 0).Average(t => t.Split(' ').Length);

    /// <summary>Whether every element of this column lies inside (or is) the element of <paramref name="other"/> for the same item.</summary>
    public bool Within(Column other) =>
        Elements.Select((e, i) => (e, o: other.Elements[i])).All(p => p.e is null || (p.o is not null && (p.o == p.e || p.o.Contains(p.e))));

    /// <summary>Whether some element of this column holds (or is) the element of <paramref name="other"/> for the same item.</summary>
    public bool HoldsAny(Column other) =>
        Elements.Select((e, i) => (e, o: other.Elements[i])).Any(p => p.e is not null && p.o is not null && (p.e == p.o || p.e.Contains(p.o)));
}

/// <summary>
/// Every relative selector that names something inside the members of a group, applied to all of them: the columns the
/// fields are chosen from. Selectors that pick the very same elements are one column, under the cheapest selector.
/// </summary>
internal static class FieldColumns
{
    /// <summary>Selectors tried per group at most: rich items have many parts, and each costs a pass over the members.</summary>
    private const int MaxSelectors = 160;

    public static IReadOnlyList<Column> Of(IReadOnlyList<IElement> members)
    {
        // Each selector once, at its lowest cost, counted in how many members it names something.
        var costs = new Dictionary<string, double>(StringComparer.Ordinal);
        var seenIn = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var here = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in member.Descendants<IElement>())
            {
                if (ItemGroupFinder.IsInvisibleTag(element.LocalName) || element.LocalName is "br" or "hr" or "wbr") continue;
                foreach (var form in SelectorWriter.ForField(member, element))
                {
                    costs[form.Css] = Math.Min(costs.GetValueOrDefault(form.Css, double.MaxValue), form.Cost);
                    here.Add(form.Css);
                }
            }
            foreach (var css in here) seenIn[css] = seenIn.GetValueOrDefault(css) + 1;
        }

        var needed = Math.Max(2, members.Count / 5);
        var columns = new Dictionary<string, Column>(StringComparer.Ordinal);
        foreach (var (css, cost) in costs.Where(c => seenIn[c.Key] >= needed).OrderBy(c => c.Value).ThenBy(c => c.Key.Length).Take(MaxSelectors))
        {
            if (FieldSelector.TryParse(css, out _) is not { Css: { } parsed } selector) continue;
            var matches = members.Select(m => m.Descendants<IElement>().Where(e => parsed.Match(e, m)).ToList()).ToList();
            var elements = matches.Select(m => m.FirstOrDefault()).ToList();
            // A selector that names its element alone is sturdier than one that takes the first of several
            // (".views-field-title" rather than ".views-field", the first of three cells): the extra ones cost.
            var several = matches.Average(m => Math.Max(0, m.Count - 1));
            var column = new Column
            {
                Css = css,
                Selector = selector,
                Cost = cost + 0.3 * Math.Min(several, 3),
                Elements = elements,
                Texts = elements.Select(e => e is null ? "" : TextCleaner.Clean(ListingExtractor.VisibleText(e))).ToList(),
            };
            // One column per set of elements, under its cheapest selector.
            var key = string.Join(',', elements.Select(e => e is null ? "-" : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(e).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            if (!columns.TryGetValue(key, out var known) || column.Cost < known.Cost || column.Cost == known.Cost && css.Length < known.Css.Length)
                columns[key] = column;
        }
        return [.. columns.Values];
    }
}
