using System.Globalization;
using AngleSharp.Css.Dom;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Suggestion;

/// <summary>A proposal after its proof: the source, what the real chain gave, its score and evidence, or why it was dropped.</summary>
internal sealed class ProvedProposal
{
    public required ProposedSource Source { get; init; }
    public required MergedListing Merged { get; init; }
    public double Score { get; init; }
    public IReadOnlyList<string> Evidence { get; init; } = [];
    public string? Rejection { get; init; }

    /// <summary>The share of the main content's text the items hold.</summary>
    public double ContentShare { get; init; }

    /// <summary>The items' identity keys: two proposals that give the same items are one.</summary>
    public required string Identity { get; init; }

    /// <summary>The second page as the page step would read it (null when there is no next page or it cannot be followed).</summary>
    public PageRequest? NextPageRequest { get; init; }

    /// <summary>Why the second page did not bear out the NextPage link (null when it did, or was not read).</summary>
    public string? NextPageFailure { get; init; }

    public SuggestedSource ToCandidate() => new()
    {
        Score = Math.Round(Score, 2),
        Evidence = Evidence,
        Source = Source,
        ItemCount = Merged.Items.Count,
        Items = Merged.Items.Take(5).Select(ItemJson.From).ToList(),
    };
}

/// <summary>
/// Runs a proposal through the page step (<see cref="ListingMerger"/>), the extractor and the normalizer — the code
/// ingestion and <c>preview</c> run — and judges what comes out. A proposal that gives fewer than three items, or items
/// whose titles repeat or read like navigation, is dropped. The score is a sum of named parts, each shown:
/// <list type="bullet">
/// <item>dates (0.20): the share of items with a date;</item>
/// <item>place (0.20): in the main content, not in a "related" or "popular" box;</item>
/// <item>share (0.15): how much of the main content's text the items hold;</item>
/// <item>titles (0.10) and links (0.10): titles of a few words, one distinct link per item;</item>
/// <item>count (0.10): more items, up to about thirty;</item>
/// <item>summaries (0.05), few links per item (0.05), categories and group headings (0.025 each);</item>
/// <item>less for items dropped or repeated on the way, and a little more when the page's structured data lists the same links.</item>
/// </list>
/// </summary>
internal static class ProposalProof
{
    public static ProvedProposal Prove(
        SuggestionInput input, ItemGroup group, string item, FieldChoice fields, NextPageChoice? next, FieldContext context, PageSigns signs)
    {
        var selectors = new SelectorSet
        {
            Item = item,
            Title = fields.Title,
            Link = fields.Link,
            Date = fields.Date,
            Summary = fields.Summary,
            Category = fields.Category,
            Group = fields.Group,
        };
        var cultures = fields.Dates is { Cultures.Count: > 0 } d ? d.Cultures : null;
        var formats = fields.Dates is { Formats.Count: > 0 } f ? f.Formats : null;
        var source = Configure(input, selectors with { NextPage = next?.Selector }, cultures, formats, next is null ? 1 : 2);
        var members = group.Members;

        var listing = new ListingMerger(source, knownKeys: null);
        var first = ListingExtractor.Extract(input.Page.Document, source.Selectors, 1);
        var normalized = ItemNormalizer.Normalize(source, first.Items, input.FetchedAt);
        var request = listing.Add(first, normalized);
        var pageOne = listing.Merged();
        var identity = string.Join('\n', pageOne.Items.Select(i => i.IdentityKey).Order(StringComparer.Ordinal));

        var proposed = new ProposedSource { Selectors = selectors, Cultures = cultures, DateFormats = formats };
        var rejection = Reject(pageOne, first) ?? SeveralPerMember(members, source.Selectors.Title);
        if (rejection is not null)
            return new ProvedProposal { Source = proposed, Merged = pageOne, Rejection = rejection, Identity = identity };

        // The second page, when the caller read the one the page step names.
        string? failure = null;
        var pagesSeen = 1;
        var secondItems = 0;
        var secondNew = 0;
        var merged = pageOne;
        if (request is not null && input.SecondPage is { } second && second.Location == request.Location)
        {
            var page = ListingExtractor.Extract(second.Document, source.Selectors, 2);
            var more = ItemNormalizer.Normalize(source, page.Items, input.FetchedAt);
            var known = pageOne.Items.Select(i => i.IdentityKey).ToHashSet(StringComparer.Ordinal);
            secondItems = more.Items.Count;
            secondNew = more.Items.Count(i => !known.Contains(i.IdentityKey));
            if (secondItems == 0) failure = $"Item '{item}' found no items there";
            else if (secondNew == 0) failure = "it holds the same items as page 1";
            else
            {
                listing.Add(page, more);
                merged = listing.Merged();
                pagesSeen = 2;
                // A third page named on the second (not the first again): more history is there to read.
                var onward = page.NextPage is { } raw && Uri.TryCreate(page.BaseUri, raw.Trim(), out var third)
                    && !SamePage(third, second.Location, page.BaseUri) && !SamePage(third, input.Page.Location, first.BaseUri);
                proposed = proposed with { Selectors = selectors with { NextPage = next!.Selector }, MaxPages = onward ? 3 : 2 };
            }
        }

        var (score, evidence, share) = Judge(merged, pageOne, first, fields, group, context, signs, pagesSeen, secondItems, secondNew, next);
        return new ProvedProposal
        {
            Source = proposed,
            Merged = merged,
            Score = score,
            Evidence = evidence,
            ContentShare = share,
            Identity = identity,
            NextPageRequest = request,
            NextPageFailure = request is not null && input.SecondPage is not null ? failure ?? (pagesSeen == 1 ? "page 2 was another page than the one named" : null) : null,
        };
    }

    private static bool SamePage(Uri link, Uri location, Uri address) =>
        Uri.Compare(link, location, UriComponents.HttpRequestUrl, UriFormat.Unescaped, StringComparison.Ordinal) == 0
        || Uri.Compare(link, address, UriComponents.HttpRequestUrl, UriFormat.Unescaped, StringComparison.Ordinal) == 0;

    /// <summary>The proposal as a configured source: what a maintainer would get from pasting it into the sources file.</summary>
    private static ConfiguredSource Configure(SuggestionInput input, SelectorSet selectors, IReadOnlyList<string>? cultures, IReadOnlyList<string>? formats, int maxPages)
    {
        FieldSelector? Parse(string? text) => text is null ? null : FieldSelector.TryParse(text, out _);
        var definition = new SourceDefinition
        {
            Id = "suggestion",
            Section = "suggestion",
            Url = input.Page.Location.AbsoluteUri,
            BaseUrl = input.BaseUrl?.AbsoluteUri,
            Selectors = selectors,
            DateFormats = formats ?? [],
            Cultures = cultures ?? [SourceDefinition.DefaultCulture],
            MaxPages = maxPages,
        };
        return new ConfiguredSource
        {
            Definition = definition,
            Selectors = new ListingSelectors
            {
                Item = Parse(selectors.Item)!,
                Title = Parse(selectors.Title)!,
                Link = Parse(selectors.Link),
                Date = Parse(selectors.Date),
                Summary = Parse(selectors.Summary),
                Category = Parse(selectors.Category),
                Group = Parse(selectors.Group),
                NextPage = Parse(selectors.NextPage),
            },
            Location = input.Page.Location,
            BaseUrl = input.BaseUrl,
            Cultures = definition.Cultures.Select(c => CultureInfo.GetCultureInfo(c)).ToList(),
        };
    }

    private static string? Reject(MergedListing listing, ListingPage page)
    {
        var items = listing.Items;
        if (items.Count < ItemGroupFinder.MinItems)
            return $"{items.Count} item{(items.Count == 1 ? "" : "s")} after normalization (of {page.Items.Count} matched); a list needs at least {ItemGroupFinder.MinItems}";
        var distinct = items.Select(i => i.Title).Distinct(StringComparer.Ordinal).Count();
        if (distinct < items.Count * 0.9)
            return $"titles repeat ({distinct} distinct of {items.Count})";
        var navigation = items.Count(i => FieldFinder.LooksLikeNavigation(i.Title));
        if (navigation * 2 >= items.Count)
            return $"{navigation} of {items.Count} titles read like navigation (\"{items.First(i => FieldFinder.LooksLikeNavigation(i.Title)).Title}\")";
        return null;
    }

    /// <summary>
    /// Members that each hold several titles are boxes of items (a month's section of a grouped list), not items: most of
    /// what they hold would be lost.
    /// </summary>
    private static string? SeveralPerMember(IReadOnlyList<IElement> members, FieldSelector title)
    {
        // Titles in the same place as the first (ol > li > article > h3 twice), not a link inside the title's own line.
        int Titles(IElement member)
        {
            var matches = member.Descendants<IElement>().Where(e => title.Css!.Match(e, member)).ToList();
            if (matches.Count < 2) return matches.Count;
            var shape = PathWithin(matches[0], member);
            return matches.Where(m => PathWithin(m, member) == shape)
                .Select(e => TextCleaner.Clean(ListingExtractor.VisibleText(e))).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Count();
        }
        var several = members.Count(m => Titles(m) > 1);
        return several * 4 > members.Count
            ? $"{several} of {members.Count} elements hold several titles ({title.Text}): each is a box of items, not an item"
            : null;
    }

    private static string PathWithin(IElement element, IElement member) =>
        string.Join('>', element.Ancestors<IElement>().TakeWhile(a => a != member).Select(a => a.LocalName).Reverse().Append(element.LocalName));

    private static (double Score, List<string> Evidence, double Share) Judge(
        MergedListing merged, MergedListing pageOne, ListingPage first, FieldChoice fields, ItemGroup group, FieldContext context,
        PageSigns signs, int pagesSeen, int secondItems, int secondNew, NextPageChoice? next)
    {
        var items = merged.Items;
        var n = items.Count;
        var members = group.Members;
        var evidence = new List<string>();
        var parts = new List<(string Name, double Weight, double Value)>();

        evidence.Add(pagesSeen > 1 ? $"{n} items on {pagesSeen} pages ({pageOne.Items.Count} on page 1)" : $"{n} items");
        parts.Add(("count", 0.10, Math.Min(1, Math.Log(n) / Math.Log(30))));

        var words = items.Average(i => i.Title.Split(' ').Length);
        evidence.Add($"{items.Select(i => i.Title).Distinct(StringComparer.Ordinal).Count()}/{n} titles distinct ({fields.Title}), {words.ToString("0.#", CultureInfo.InvariantCulture)} words on average");
        parts.Add(("titles", 0.10, words < 1.5 ? 0.3 : words < 2.5 ? 0.6 : words > 40 ? 0.5 : 1.0));

        var linked = items.Count(i => i.Link is not null);
        var distinctLinks = items.Where(i => i.Link is not null).Select(i => i.IdentityKey).Distinct(StringComparer.Ordinal).Count();
        evidence.Add(linked == 0 ? "no links: items are identified by their titles" : $"{linked}/{n} linked ({fields.LinkSource})");
        parts.Add(("links", 0.10, n == 0 ? 0 : linked / (double)n * (linked == 0 ? 0 : distinctLinks / (double)linked)));

        var dated = items.Count(i => i.Published is not null);
        if (dated > 0)
        {
            var how = fields.Dates is { } d
                ? d.Cultures.Count == 0 ? $"{fields.Date}, ISO 8601" : $"{d.Shape}, {string.Join(" + ", d.Cultures)}"
                : "from the group headings";
            evidence.Add($"{dated}/{n} dated ({how})");
        }
        else evidence.Add("no dates: items will be dated when first seen");
        parts.Add(("dates", 0.20, dated / (double)n));

        var summarized = items.Count(i => i.Summary is not null);
        if (fields.Summary is not null) evidence.Add($"{summarized}/{n} with a summary ({fields.Summary})");
        parts.Add(("summaries", 0.05, Math.Min(1, summarized / (double)n * 1.5)));

        var categorized = items.Where(i => i.Category is not null).ToList();
        if (fields.Category is not null)
        {
            var values = categorized.Select(i => i.Category!).Distinct(StringComparer.Ordinal).ToList();
            evidence.Add($"{categorized.Count}/{n} with a category ({fields.Category}: {values.Count} distinct, e.g. \"{string.Join("\", \"", values.Take(3))}\")");
        }
        parts.Add(("categories", 0.025, fields.Category is null ? 0 : categorized.Count / (double)n));

        if (fields.Group is not null) evidence.Add($"grouped by {fields.GroupHeadings} date headings ({fields.Group})");
        parts.Add(("groups", 0.025, fields.Group is null ? 0 : 1));

        if (pagesSeen > 1) evidence.Add($"next page verified ({next!.How}): page 2 gave {secondItems} items, {secondNew} new ({pagesSeen} pages seen)");

        var chrome = context.Chrome;
        var inMain = members.Count(chrome.InMain) / (double)members.Count;
        var secondary = members.Select(chrome.SecondaryOf).FirstOrDefault(s => s is not null);
        if (chrome.HasMain) evidence.Add(inMain >= 1 ? $"inside the main content ({PageChrome.Describe(chrome.Main)})" : $"outside the main content ({PageChrome.Describe(chrome.Main)})");
        if (secondary is not null) evidence.Add($"in a secondary list ({secondary[3..]})");
        parts.Add(("place", 0.20, inMain * (secondary is null ? 1 : 0.3)));

        var mainText = Math.Max(1, TextOf(chrome.Main).Length);
        var share = Math.Min(1, members.Sum(m => TextOf(m).Length) / (double)mainText);
        evidence.Add($"items hold {Math.Round(share * 100).ToString(CultureInfo.InvariantCulture)}% of the main content's text");
        parts.Add(("share", 0.15, Math.Min(1, share * 1.6)));

        var perItem = members.Average(m => m.QuerySelectorAll("a[href]").Select(a => context.Resolve(a.GetAttribute("href"))).OfType<string>().Distinct().Count() + (m.LocalName == "a" ? 1 : 0));
        evidence.Add($"{perItem.ToString("0.#", CultureInfo.InvariantCulture)} link{(perItem == 1 ? "" : "s")} per item");
        parts.Add(("focus", 0.05, perItem <= 3 ? 1 : Math.Max(0, 1 - (perItem - 3) / 6)));

        var lost = first.Items.Count - pageOne.Items.Count;
        if (lost > 0) evidence.Add($"{lost} matched element{(lost == 1 ? "" : "s")} dropped or merged by normalization");
        parts.Add(("losses", -0.10, first.Items.Count == 0 ? 0 : lost / (double)first.Items.Count));

        if (signs.StructuredLinks.Count > 0)
        {
            var also = items.Count(i => i.Link is not null && signs.StructuredLinks.Contains(new UriBuilder(i.Link) { Fragment = "" }.Uri.AbsoluteUri));
            evidence.Add($"{also}/{n} links also in the page's structured data (JSON-LD ItemList)");
            parts.Add(("structured data", 0.05, also / (double)n));
        }

        var score = Math.Clamp(parts.Sum(p => p.Weight * p.Value), 0, 1);
        evidence.Add("score " + string.Join(" + ", parts.Where(p => p.Value != 0).Select(p =>
            $"{p.Name} {(p.Weight * p.Value).ToString("0.00", CultureInfo.InvariantCulture)}")).Replace("+ losses -", "- losses "));
        return (score, evidence, share);
    }

    private static string TextOf(IElement element) => TextCleaner.Clean(ListingExtractor.VisibleText(element));
}
