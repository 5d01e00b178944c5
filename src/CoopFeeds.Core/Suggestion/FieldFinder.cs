using System.Text.RegularExpressions;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Suggestion;

/// <summary>What the fields of one group came to: the selectors, the date conventions, and where the links come from.</summary>
internal sealed record FieldChoice
{
    public required string Title { get; init; }
    public string? Link { get; init; }
    public string? Date { get; init; }
    public DateConventions? Dates { get; init; }
    public string? Summary { get; init; }
    public string? Category { get; init; }
    public string? Group { get; init; }
    public int GroupHeadings { get; init; }
    /// <summary>Where each item's link comes from, for the evidence: "the title's link", or the Link selector.</summary>
    public required string LinkSource { get; init; }
}

/// <summary>
/// Chooses each field of a group from its columns, looking at all members at once: the title (a heading or the main
/// link's text, present and distinct in every item), the link (only when the extractor's default would pick another),
/// the date (the column most items read as dates, with its cultures and formats), the summary (the longest remaining
/// text), the category (a short label that repeats, or is marked as one — never a photo credit or an author), and the
/// group (date headings between items).
/// </summary>
internal static partial class FieldFinder
{
    [GeneratedRegex(@"^(?:©|\(c\)|copyright\b|photo\b|foto\b|image\b|credit\b|credits\b|cr[ée]dit\b|picture\b|source\s*:)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CreditPattern();

    [GeneratedRegex(@"^(?:by|par|por|von|door|di|de)\s+\p{Lu}", RegexOptions.CultureInvariant)]
    private static partial Regex BylinePattern();

    [GeneratedRegex(@"title|titre|titulo|name|heading|headline", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TitleWord();

    [GeneratedRegex(@"^[\d\s.,:/()+-]*(?:\p{L}{1,12})?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex CountPattern();

    [GeneratedRegex(@"/(?:tag|tags|category|categories|categorie|categoria|topic|topics|theme|themes|rubrique|etiqueta|etiquetas|type|section|label|subject)(?:/|\?|=|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TaxonomyPath();

    private static readonly HashSet<string> CategoryWords = new(StringComparer.Ordinal)
    {
        "category", "categories", "cat", "cats", "tag", "tags", "label", "labels", "badge", "type", "kind", "topic", "topics",
        "theme", "themes", "section", "rubrique", "rubric", "etiqueta", "etiquetas", "kicker", "eyebrow", "overline", "chip",
        "genre", "format", "subject", "tema", "categorie", "categoria", "term", "terms", "taxonomy", "pill", "flag",
    };

    private static readonly HashSet<string> AuthorWords = new(StringComparer.Ordinal)
    {
        "author", "authors", "byline", "writer", "autor", "auteur", "by", "posted", "avatar", "user", "username",
    };

    private static readonly HashSet<string> DateWords = new(StringComparer.Ordinal)
    {
        "date", "dates", "time", "datetime", "published", "pubdate", "posted", "fecha", "datum", "when", "day", "meta", "created", "updated",
    };

    /// <param name="members">The group's elements on the page.</param>
    /// <param name="later">The elements its Item selector matches on the second page, when that was read: a field must
    /// read them too (a second page whose one undated &lt;time&gt;-less item shows only words).</param>
    public static FieldChoice? Choose(IReadOnlyList<IElement> members, IReadOnlyList<IElement> later, FieldContext context)
    {
        var all = Sample(members.Concat(later).ToList());
        var columns = FieldColumns.Of(all);
        var n = all.Count;

        var title = ChooseTitle(columns, n, context);
        if (title is null) return null;
        title = Qualified(title, columns, all);

        var titleOnly = columns.Where(c => c.Within(title) || title.Within(c) && c.Texts.SequenceEqual(title.Texts)).ToHashSet();
        var link = ChooseLink(all, title, columns, context);

        var headings = GroupHeadings.Find(members, context);
        var groups = all.Select(m => headings?.ByMember.GetValueOrDefault(m)).ToList();

        var (date, dates) = ChooseDate(columns.Where(c => !titleOnly.Contains(c)), all, groups, context);
        // No date of their own, but date headings: the headings' language is the one the source reads.
        if (date is null && headings is not null)
            dates = DateInference.Infer([.. headings.ByMember.Values], [.. headings.ByMember.Values.Select(_ => (string?)null)], context.Declared, context.FetchedAt);
        var summary = ChooseSummary(columns, title, date, all, context, n);
        var category = ChooseCategory(columns, title, date, summary, n, context);

        return new FieldChoice
        {
            Title = title.Css,
            Link = link,
            Date = date,
            Dates = dates,
            Summary = summary?.Css,
            Category = category?.Css,
            Group = headings?.Selector,
            GroupHeadings = headings?.Count ?? 0,
            LinkSource = link ?? "the title's link",
        };
    }

    /// <summary>Members looked at for the fields: all of a list of a normal length, an even spread of a long one.</summary>
    private const int MaxMembersExamined = 60;

    private static List<IElement> Sample(List<IElement> members) =>
        members.Count <= MaxMembersExamined
            ? members
            : Enumerable.Range(0, MaxMembersExamined).Select(i => members[(int)((long)i * members.Count / MaxMembersExamined)]).ToList();

    /// <summary>
    /// The title: in (nearly) every item, distinct across items, a heading or the main link rather than a label, long
    /// enough to name something, and not a date or a "Read more". When a heading holds more than its link (a "new" marker,
    /// a kicker), the link's text is the title.
    /// </summary>
    private static Column? ChooseTitle(IReadOnlyList<Column> columns, int n, FieldContext context)
    {
        Column? best = null;
        var bestScore = 0.0;
        foreach (var column in columns)
        {
            var coverage = column.Coverage / (double)n;
            if (coverage < 0.6 || column.Distinct < 2) continue;
            var values = column.Texts.Where(t => t.Length > 0).ToList();
            var distinct = column.Distinct / (double)values.Count;
            var navigation = values.Count(LooksLikeNavigation) / (double)values.Count;
            // A title may name a month ("Board minutes, March 2022"); one that is nothing but a date is not a title.
            var dated = values.Count(v => v.Length <= 40 && context.ReadsAsDate(v) && context.LettersBesidesDates(v) <= 3) / (double)values.Count;
            var words = column.AverageWords;
            var length = words < 1.5 ? 0.35 : words < 3 ? 0.8 : column.AverageLength > 300 ? 0.3 : 1.0;
            var element = column.Elements.First(e => e is not null)!;
            var kind = IsHeadingLike(element) ? 1.0 : element.LocalName == "a" || element.QuerySelector("a[href]") is not null ? 0.85 : TitleClass(element) ? 0.85 : 0.55;
            var score = Math.Pow(coverage, 3) * distinct * distinct * (1 - navigation) * (1 - dated) * length * kind - column.Cost * 0.01;
            if (score > bestScore)
            {
                (best, bestScore) = (column, score);
            }
        }
        if (best is null) return null;

        // The heading around the chosen link, when it says the same: what a person points at as the title.
        var outer = columns.Where(c => c != best && best.Within(c) && c.Texts.SequenceEqual(best.Texts)
                && c.Elements.All(e => e is null || IsHeadingLike(e) || TitleClass(e)) && c.Elements.All(e => e is null || e.QuerySelectorAll("a[href]").Length <= 1))
            .OrderBy(c => c.Cost).FirstOrDefault();
        if (outer is not null) return outer;

        // The link inside the heading, when the heading says more than the link.
        var inner = columns.Where(c => c != best && c.Within(best) && c.Coverage == best.Coverage
                && c.Elements.All(e => e is null || e.LocalName == "a")
                && !c.Texts.SequenceEqual(best.Texts)
                && c.Texts.Zip(best.Texts).All(p => p.First.Length * 2 >= p.Second.Length && p.Second.Contains(p.First, StringComparison.Ordinal)))
            .OrderBy(c => c.Cost).FirstOrDefault();
        return inner ?? best;
    }

    /// <summary>
    /// A bare "a" title named by the cell or box it sits in (<c>td.views-field-title a</c>), when that picks the same links:
    /// the first link of an item is the title's only as long as nothing comes before it.
    /// </summary>
    private static Column Qualified(Column title, IReadOnlyList<Column> columns, IReadOnlyList<IElement> members)
    {
        if (title.Css != "a") return title;
        var box = columns.Where(c => c != title && title.Within(c) && c.Css.Contains('.') && !c.Css.Contains(' '))
            .OrderBy(c => TitleWord().IsMatch(c.Css) ? 0 : 1).ThenBy(c => c.Cost).FirstOrDefault();
        if (box is null) return title;
        // The link as the box's child when that is enough ("span.titleline > a", not the site link nested beside it).
        foreach (var text in new[] { box.Css + " > a", box.Css + " a" })
        {
            if (Sources.FieldSelector.TryParse(text, out _) is not { Css: { } css } selector) continue;
            var elements = members.Select(m => css.MatchAny(m.Descendants<IElement>(), m)).ToList();
            if (elements.SequenceEqual(title.Elements))
                return new Column { Css = selector.Text, Selector = selector, Cost = box.Cost + 1, Elements = elements, Texts = title.Texts };
        }
        return title;
    }

    /// <summary>A heading, inside one, or around one and nothing else (a card header holding only its h3).</summary>
    private static bool IsHeadingLike(IElement element) =>
        SelectorWriter.IsHeading(element.LocalName) || element.GetAttribute("role") == "heading"
        || element.Ancestors<IElement>().Take(3).Any(a => SelectorWriter.IsHeading(a.LocalName))
        || element.QuerySelector("h1,h2,h3,h4,h5,h6") is { } heading && heading.TextContent.Trim() == element.TextContent.Trim();

    private static bool TitleClass(IElement element) =>
        ClassNames.WordsOf(element).Any(w => w is "title" or "titre" or "titulo" or "headline" or "heading" or "name" or "header");

    /// <summary>
    /// The link: the extractor's default (the title's link, else the item's first) when it gives every item its main
    /// destination; otherwise the anchor column that does. The main destination of an item is where its title, its
    /// image and its "read more" lead — not a tag, a category or an author page, and not where the other items lead too.
    /// </summary>
    private static string? ChooseLink(IReadOnlyList<IElement> members, Column title, IReadOnlyList<Column> columns, FieldContext context)
    {
        // How many items link to each destination: one that several share (a section page, "subscribe") is nobody's own.
        var sharedBy = members.SelectMany(m => m.QuerySelectorAll("a[href]").Select(a => context.Resolve(a.GetAttribute("href"))).OfType<string>().Distinct())
            .GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var primary = members.Select((m, i) => PrimaryLink(m, title.Elements[i], sharedBy, context)).ToList();
        var defaults = members.Select((m, i) => context.Resolve(DefaultLink(m, title.Elements[i]))).ToList();
        var agree = primary.Zip(defaults).Count(p => p.First is not null && p.First == p.Second);
        if (agree == primary.Count(p => p is not null)) return null;

        Column? best = null;
        var bestAgree = agree;
        foreach (var column in columns.Where(c => c.Elements.All(e => e is null || e.LocalName == "a")))
        {
            var hrefs = column.Elements.Select(e => context.Resolve(e?.GetAttribute("href"))).ToList();
            var count = hrefs.Zip(primary).Count(p => p.First is not null && p.First == p.Second);
            if (count > bestAgree || count == bestAgree && best is not null && column.Cost < best.Cost)
                (best, bestAgree) = (column, count);
        }
        return best is null ? null : (best.Css.StartsWith('.') && !best.Css.Contains(' ') ? "a" + best.Css : best.Css) + "@href";
    }

    /// <summary>The extractor's default link: the first that leads to a page in the title, around it, on the item, in the item.</summary>
    private static string? DefaultLink(IElement item, IElement? title)
    {
        var candidates = new List<string>();
        if (title is not null)
        {
            if (title.LocalName == "a" && title.GetAttribute("href") is { } own) candidates.Add(own);
            candidates.AddRange(title.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!));
            if (title.Closest("a[href]") is { } around && around != title && item.Contains(around)) candidates.Add(around.GetAttribute("href")!);
        }
        if (item.LocalName == "a" && item.GetAttribute("href") is { } itself) candidates.Add(itself);
        candidates.AddRange(item.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!));
        return candidates.FirstOrDefault(LeadsToAPage) ?? candidates.FirstOrDefault();
    }

    private static bool LeadsToAPage(string href)
    {
        var trimmed = href.Trim();
        return trimmed.Length > 0 && trimmed[0] != '#' && !LinkResolver.HasRejectedScheme(trimmed);
    }

    private static string? PrimaryLink(IElement item, IElement? title, IReadOnlyDictionary<string, int> sharedBy, FieldContext context)
    {
        var anchors = item.QuerySelectorAll("a[href]").ToList();
        if (item.LocalName == "a" && item.HasAttribute("href")) anchors.Insert(0, item);
        if (title?.Closest("a[href]") is { } around && item.Contains(around) && !anchors.Contains(around)) anchors.Insert(0, around);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var anchor in anchors)
        {
            var href = anchor.GetAttribute("href")!;
            if (!LeadsToAPage(href) || context.Resolve(href) is not { } target) continue;
            var score = scores.GetValueOrDefault(target) + 1;
            if (title is not null && (title.Contains(anchor) || anchor.Contains(title) || anchor == title)) score += 3;
            var rel = anchor.GetAttribute("rel") ?? "";
            if (rel.Contains("tag", StringComparison.Ordinal) || rel.Contains("category", StringComparison.Ordinal) || rel.Contains("author", StringComparison.Ordinal)
                || TaxonomyPath().IsMatch(href) || ClassNames.WordsOf(anchor).Any(w => AuthorWords.Contains(w) || CategoryWords.Contains(w)))
                score -= 4;
            scores[target] = score;
        }
        if (scores.Count == 0) return null;
        foreach (var target in scores.Keys.ToList())
            if (sharedBy.GetValueOrDefault(target) > 2) scores[target] -= 3;
        return scores.OrderByDescending(s => s.Value).First().Key;
    }

    /// <summary>
    /// The date: of the columns most items read as dates (completed from their group heading), the one whose text is the
    /// most purely a date, preferring a machine-readable &lt;time datetime&gt;. The cultures and formats come from all its
    /// strings at once (<see cref="DateInference"/>).
    /// </summary>
    private static (string? Css, DateConventions? Dates) ChooseDate(IEnumerable<Column> columns, IReadOnlyList<IElement> members, IReadOnlyList<string?> groups, FieldContext context)
    {
        var n = members.Count;
        (Column Column, List<string?> Values, double Score)? best = null;
        foreach (var column in columns)
        {
            if (column.Coverage < Math.Max(2, n * 0.3) || column.AverageLength > 90) continue;
            var values = members.Select((m, i) => column.Elements[i] is null ? null : Extraction.ListingExtractor.ReadDate(m, column.Selector)).ToList();
            var dated = DateInference.Count(values, groups, context.AllCultures, [], context.FetchedAt);
            var ownRead = values.Count(v => v is not null && context.ReadsAsDate(v));
            // Read as dates by the items' own text, and giving dates (with the group's help): "1." is a day, not a date.
            if (ownRead < Math.Max(2, n * 0.4) || dated < Math.Max(2, n * 0.4)) continue;
            // How purely the element shows a date ("7 October 2021", not "By Ana · 7 October 2021"): the smallest box
            // that holds it is the date, but never at the cost of items left undated.
            var purity = column.Texts.Where(t => t.Length > 0).Select(t => DatePurity(t, context)).DefaultIfEmpty(0).Average();
            var element = column.Elements.First(e => e is not null)!;
            var machine = element.LocalName == "time" || element.QuerySelector("time[datetime]") is not null ? 0.03 : 0;
            var named = ClassNames.WordsOf(element).Any(DateWords.Contains) ? 0.02 : 0;
            var score = dated / (double)n - 0.2 * (1 - purity) + machine + named - column.Cost * 0.01;
            if (best is null || score > best.Value.Score) best = (column, values, score);
        }
        if (best is not { } chosen) return (null, null);

        var dates = DateInference.Infer(chosen.Values, groups, context.Declared, context.FetchedAt);
        var elements = chosen.Column.Elements.Where(e => e is not null).ToList();
        var css = chosen.Column.Css;
        if (elements.All(e => e!.LocalName == "time" && !string.IsNullOrWhiteSpace(e.GetAttribute("datetime"))))
            css = (css.StartsWith('.') && !css.Contains(' ') ? "time" + css : css) + "@datetime";
        return (css, dates);
    }

    /// <summary>How much of a text is the date: 1 for "7 October 2021", less for "Posted by Ana on 7 October 2021 in News".</summary>
    private static double DatePurity(string text, FieldContext context)
    {
        var clean = TextCleaner.Clean(text);
        if (DateInference.IsMachineDate(clean)) return 1.0;
        var letters = clean.Count(char.IsLetter);
        return letters == 0 ? 1.0 : Math.Clamp(1 - context.LettersBesidesDates(clean) / (double)Math.Max(letters, 8), 0, 1);
    }

    /// <summary>
    /// The summary: the longest remaining text, in at least a few items, that is neither the title, the date nor a "Read
    /// more", and holds no link to the item's own page (a box around the summary and its "Read more" link is not the summary).
    /// </summary>
    private static Column? ChooseSummary(IReadOnlyList<Column> columns, Column title, string? dateCss, IReadOnlyList<IElement> members, FieldContext context, int n)
    {
        Column? best = null;
        var bestScore = 0.0;
        foreach (var column in columns)
        {
            // Prose: a few words at least, and a different text on each item ("Riverside Housing Co-operative" twice is a label).
            if (column.Coverage < Math.Max(2, n * 0.2) || column.AverageLength < 25 || column.AverageWords < 5) continue;
            if (column.AverageWords < 8 && column.Distinct < column.Coverage * 0.8) continue;
            if (column == title || column.HoldsAny(title) || column.Within(title)) continue;
            if (dateCss is not null && column.Css == dateCss.Split('@')[0]) continue;
            var values = column.Texts.Where(t => t.Length > 0).ToList();
            if (values.Count(LooksLikeNavigation) * 2 > values.Count) continue;
            if (values.Count(v => v.Length <= 60 && context.ReadsAsDate(v)) * 2 > values.Count) continue;
            // A byline is not a summary, however long.
            if (values.Count(v => BylinePattern().IsMatch(v)) * 2 > values.Count) continue;
            var own = column.Elements.First(e => e is not null)!;
            if (ClassNames.WordsOf(own).Any(AuthorWords.Contains)) continue;
            // An echo of the title (an image's alt, a tooltip) says nothing new.
            if (values.Zip(title.Texts.Where(t => t.Length > 0)).Count(p => Similar(p.First, p.Second)) * 2 > values.Count) continue;
            var holdsOwnLink = column.Elements.Select((e, i) => (e, m: members[i])).Count(p =>
                p.e is not null && p.e.QuerySelectorAll("a[href]").Any(a => IsOwnLink(a, p.m, context)));
            if (holdsOwnLink * 3 > column.Coverage) continue;
            var score = values.Sum(v => Math.Min(v.Length, 600)) - column.Cost * 5;
            if (score > bestScore) (best, bestScore) = (column, score);
        }
        return best;
    }

    private static bool IsOwnLink(IElement anchor, IElement item, FieldContext context)
    {
        var target = context.Resolve(anchor.GetAttribute("href"));
        if (target is null) return false;
        var heading = item.QuerySelector("h1 a[href],h2 a[href],h3 a[href],h4 a[href],h5 a[href],h6 a[href]") ?? (item.LocalName == "a" ? item : null);
        return heading is not null && context.Resolve(heading.GetAttribute("href")) == target;
    }

    /// <summary>
    /// The category: a short label (a few words) in at least half the items, not the title, date or summary, whose values
    /// repeat or whose markup names it a label (class, rel=tag, a /category/ link). Never credits ("© SEWA 2022"),
    /// authors ("By Jane Okafor"), counts ("3 comments") or navigation.
    /// </summary>
    private static Column? ChooseCategory(IReadOnlyList<Column> columns, Column title, string? dateCss, Column? summary, int n, FieldContext context)
    {
        Column? best = null;
        var bestScore = 0.0;
        foreach (var column in columns)
        {
            if (column.Coverage < Math.Max(2, n * 0.5) || column.AverageWords > 5 || column.Texts.Max(t => t.Length) > 60) continue;
            if (column == title || column.HoldsAny(title) || column.Within(title) && column.Texts.SequenceEqual(title.Texts)) continue;
            if (summary is not null && (column == summary || column.HoldsAny(summary))) continue;
            if (dateCss is not null && column.Css == dateCss.Split('@')[0]) continue;
            var values = column.Texts.Where(t => t.Length > 0).ToList();
            if (values.Any(v => CreditPattern().IsMatch(v) || BylinePattern().IsMatch(v))) continue;
            // Counts and durations ("3 comments", "5 min read") start with their number; labels rarely do.
            if (values.Count(v => CountPattern().IsMatch(v) && v.Any(char.IsDigit) || char.IsDigit(v[0])) * 2 > values.Count) continue;
            if (values.Count(LooksLikeNavigation) * 2 > values.Count) continue;
            if (values.Count(v => context.ReadsAsDate(v)) * 3 > values.Count) continue;
            var element = column.Elements.First(e => e is not null)!;
            var words = ClassNames.WordsOf(element).Concat(element.Ancestors<IElement>().Take(2).SelectMany(ClassNames.WordsOf)).ToList();
            if (words.Any(AuthorWords.Contains) || element.GetAttribute("itemprop") is "author" or "name" && element.Closest("[itemprop=author]") is not null) continue;
            var named = words.Any(CategoryWords.Contains)
                || column.Elements.Any(e => e?.GetAttribute("rel") is { } rel && (rel.Contains("tag", StringComparison.Ordinal) || rel.Contains("category", StringComparison.Ordinal)))
                || column.Elements.Any(e => e?.GetAttribute("href") is { } href && TaxonomyPath().IsMatch(href));
            var repeats = column.Distinct < values.Count;
            if (!named && !repeats) continue;
            // A box of links ("PDF · Cite") is a toolbar; one value on every item without a label's name, a constant.
            if (column.Elements.Any(e => e is not null && e.QuerySelectorAll("a[href]").Length >= 2)) continue;
            if (!named && column.Distinct == 1) continue;
            // A box of several labels reads them all as one ("Finance Housing co-ops"): the first label is the category.
            var several = column.Elements.Any(e => e is not null && e.Children.Count(c => c.TextContent.Trim().Length > 0) >= 2);
            var score = column.Coverage / (double)n * (named ? 1.0 : 0.7) * (repeats ? 1.0 : 0.8) * (several ? 0.5 : 1.0) - column.Cost * 0.02 - column.AverageWords * 0.01;
            if (score > bestScore) (best, bestScore) = (column, score);
        }
        return best;
    }

    private static bool Similar(string a, string b)
    {
        var x = DateVocabulary.Fold(a);
        var y = DateVocabulary.Fold(b);
        return x == y || x.Length > 10 && y.Contains(x, StringComparison.Ordinal) || y.Length > 10 && x.Contains(y, StringComparison.Ordinal);
    }

    // Link texts of pagination and "more" links in the languages the date parser reads, as the normalizer has them.
    [GeneratedRegex(@"^(?:read more|more|see more|view more|show more|load more|learn more|continue reading|read the rest|details|next|next page|previous|prev|older|newer|older posts|newer posts|see all|view all|home|back|page \d+|\d+|lire la suite|en savoir plus|plus|voir plus|voir tout|suite|suivant|suivante|precedent|accueil|retour|leer mas|ver mas|mas|seguir leyendo|siguiente|anterior|inicio|volver|weiterlesen|mehr|download|telecharger|descargar|pdf)$", RegexOptions.CultureInvariant)]
    private static partial Regex NavigationPattern();

    public static bool LooksLikeNavigation(string text)
    {
        var bare = DateVocabulary.Fold(text).Trim('»', '«', '›', '‹', '→', '←', '>', '<', '…', '.', ':', '|', '-', '+', ' ', '(', ')', '[', ']');
        return bare.Length == 0 || NavigationPattern().IsMatch(bare);
    }
}
