using System.Text.RegularExpressions;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Suggestion;

/// <summary>Date headings between the items of a group, the selector that finds them, and each item's heading text.</summary>
internal sealed record GroupHeadingChoice(string Selector, int Count, IReadOnlyDictionary<IElement, string> ByMember);

/// <summary>
/// Finds month or year headings between items ("October 2021" above the month's items), as the Group selector reads them:
/// for each item, the last short text before it in document order that neither holds an item nor sits in one. Kept when
/// at least two headings are dates (a month, a year, a day) and they change between items.
/// </summary>
internal static partial class GroupHeadings
{
    private const int MaxHeadingLength = 60;

    [GeneratedRegex(@"^(?:19|20)[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex YearPattern();

    public static GroupHeadingChoice? Find(IReadOnlyList<IElement> members, FieldContext context)
    {
        var memberSet = members.ToHashSet();
        var holders = new HashSet<IElement>(members.SelectMany(m => m.Ancestors<IElement>()));
        var insideMember = new HashSet<IElement>(members.SelectMany(m => m.Descendants<IElement>()));

        var byMember = new Dictionary<IElement, IElement>();
        IElement? last = null;
        foreach (var element in context.Document.All)
        {
            if (memberSet.Contains(element))
            {
                if (last is not null) byMember[element] = last;
                continue;
            }
            if (holders.Contains(element) || insideMember.Contains(element) || ItemGroupFinder.IsInvisibleTag(element.LocalName)) continue;
            if (element.TextContent.Length > MaxHeadingLength * 4) continue;
            var text = context.TextOf(element);
            if (text.Length is 0 or > MaxHeadingLength) continue;
            // The outermost element with this text: <h2><span>April 2022</span></h2> is the h2.
            if (element.ParentElement is { } parent && !holders.Contains(parent) && parent.TextContent.Length <= MaxHeadingLength * 4 && context.TextOf(parent) == text) continue;
            last = element;
        }

        var headings = byMember.Values.Distinct().ToList();
        if (headings.Count < 2) return null;
        var texts = headings.ToDictionary(h => h, context.TextOf);
        var dated = headings.Count(h => IsDateHeading(texts[h], context));
        if (dated < 2 || dated * 5 < headings.Count * 4) return null;
        // Headings that all come before the first item group nothing.
        if (members.Select(m => byMember.GetValueOrDefault(m)).Distinct().Count() < 2) return null;

        var selector = SelectorWriter.ForHeadings(context.Document, headings, members);
        return selector is null ? null : new GroupHeadingChoice(selector, headings.Count, byMember.ToDictionary(p => p.Key, p => texts[p.Value]));
    }

    private static bool IsDateHeading(string text, FieldContext context) =>
        YearPattern().IsMatch(text) || text.Length <= 40 && context.ReadsAsDate(text) && context.LettersBesidesDates(text) <= 3;
}
