using System.Globalization;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Suggestion;

/// <summary>
/// Proposes source definitions for a listing page, the selectors a careful maintainer would write, proved by running them.
/// Pure: it reads the parsed page (and the second page, when the caller fetched the one it named) and nothing else.
/// <list type="number">
/// <item>Recon (<see cref="PageRecon"/>): the feeds the page advertises, and the signs of a page that cannot work.</item>
/// <item>Candidate item groups (<see cref="ItemGroupFinder"/>): repeated links, headings and siblings, lifted to the item.</item>
/// <item>Fields across all members (<see cref="FieldFinder"/>), group headings, the next page (<see cref="NextPageFinder"/>).</item>
/// <item>Selectors a person would write (<see cref="SelectorWriter"/>).</item>
/// <item>Proof and rank (<see cref="ProposalProof"/>): the page step, extractor and normalizer of ingestion on each
/// proposal; fewer than three items or titles that repeat drop it; a score whose every part is shown as evidence.</item>
/// </list>
/// </summary>
public static class SelectorSuggester
{
    /// <summary>Groups whose fields are worked out: the best by a quick look, so a page of a thousand lists stays quick.</summary>
    private const int MaxGroupsExamined = 24;

    /// <summary>Below this share of the main content's text, a proposal on a login form or an article page is a side list, not the page's.</summary>
    private const double MinShareOnSuspectPage = 0.25;

    public static SuggestionResult Suggest(SuggestionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var document = input.Page.Document;
        var baseUri = Uri.TryCreate(document.BaseUri, UriKind.Absolute, out var b) ? b : input.Page.Location;
        var chrome = new PageChrome(document);
        var context = new FieldContext(document, baseUri, input.FetchedAt, chrome);
        var signs = PageRecon.Read(document, chrome, context);
        var next = NextPageFinder.Find(document, context);
        var problems = new List<string>();

        var proposals = new List<ProvedProposal>();
        var rejected = new List<string>();
        foreach (var group in ItemGroupFinder.Find(document, chrome).OrderByDescending(g => QuickLook(g, chrome)).Take(MaxGroupsExamined))
        {
            var item = SelectorWriter.ForItems(document, group.Members);
            if (item is null) continue;
            var later = input.SecondPage is { } second ? second.Document.QuerySelectorAll(item).ToList() : [];
            var fields = FieldFinder.Choose(group.Members, later, context);
            if (fields is null)
            {
                rejected.Add($"{item}: no title column");
                continue;
            }
            var proved = ProposalProof.Prove(input, group, item, fields, next, context, signs);
            if (proved.Rejection is { } why) rejected.Add($"{item}: {why}");
            else proposals.Add(proved);
        }

        // The same items found twice (from links and from headings) under different selectors: keep the better.
        var ranked = proposals
            .OrderByDescending(p => p.Score).ThenByDescending(p => p.Merged.Items.Count).ThenBy(p => p.Source.Selectors.Item!.Length)
            .DistinctBy(p => p.Identity)
            .ToList();

        // On a page that shows the signs of a login form, a bot check or an article, a list is believed only when it is
        // the page's content: most of its text, and dated or long. Otherwise it is the form's help links or "related stories".
        if (ranked.Count > 0 && !Convincing(ranked[0])
            && new[] { signs.LoginWall, signs.BlockPage, signs.AppShell, signs.Article }.OfType<string>().ToList() is { Count: > 0 } suspect)
        {
            problems.AddRange(suspect);
            problems.Add($"the only lists found are side lists ({ranked[0].Source.Selectors.Item}, {Percent(ranked[0].ContentShare)} of the main text), not the page's content: nothing proposed");
            ranked.Clear();
        }
        else if (ranked.Count == 0)
        {
            var reasons = signs.Reasons.ToList();
            var shortList = reasons.Count == 0 ? ItemGroupFinder.ShortList(document, chrome) : null;
            if (reasons.Count > 0) problems.AddRange(reasons);
            else if (shortList is not null)
                problems.Add($"too short a list: only {shortList.Count} similar items ({PageChrome.Describe(shortList[0])}), and a list needs at least {ItemGroupFinder.MinItems}");
            else problems.Add("no list found: no group of 3 or more similar items with distinct titles");
            if (reasons.Count == 0 && rejected.Count > 0) problems.Add("closest groups: " + string.Join("; ", rejected.Take(3)));
        }

        var top = ranked.Take(Math.Max(1, input.Top)).ToList();
        PageRequest? toVerify = null;
        if (top.Count > 0 && next is not null)
        {
            var first = top[0];
            if (first.NextPageRequest is null)
                problems.Add($"a next page link was found ({next.Selector}, \"{next.Href}\") but cannot be followed from here: NextPage left out");
            else if (input.SecondPage is null)
            {
                toVerify = first.NextPageRequest;
                problems.Add($"a next page link was found ({next.Selector}) but page 2 was not read to verify it: NextPage left out");
            }
            else if (first.NextPageFailure is { } failure)
                problems.Add($"the next page link ({next.Selector}) did not verify on page 2: {failure}; NextPage left out");
        }

        return new SuggestionResult
        {
            Url = input.Page.Location.IsFile ? input.Page.Location.LocalPath : UrlRedactor.Redact(input.Page.Location),
            Feeds = signs.Feeds,
            Problems = problems,
            Candidates = top.Select(p => p.ToCandidate()).ToList(),
            NextPageToVerify = toVerify,
        };
    }

    private static bool Convincing(ProvedProposal proposal) =>
        proposal.ContentShare >= MinShareOnSuspectPage
        && (proposal.Merged.Items.Count(i => i.Published is not null) * 2 >= proposal.Merged.Items.Count || proposal.Merged.Items.Count >= 8);

    /// <summary>A cheap first ranking of groups: in the main content, many members, headings and links, some text.</summary>
    private static double QuickLook(ItemGroup group, PageChrome chrome)
    {
        var members = group.Members;
        var inMain = members.Count(chrome.InMain) / (double)members.Count;
        var secondary = members.Any(m => chrome.SecondaryOf(m) is not null) ? 1 : 0;
        var text = members.Average(m => Math.Min(m.TextContent.Length, 400)) / 400.0;
        var headings = members.Count(m => m.QuerySelector("h1,h2,h3,h4,h5,h6") is not null) / (double)members.Count;
        var links = members.Count(m => m.LocalName == "a" || m.QuerySelector("a[href]") is not null) / (double)members.Count;
        var dates = members.Count(m => m.QuerySelector("time") is not null) / (double)members.Count;
        return 2 * inMain - secondary + Math.Log(members.Count) / 2 + text + headings + links + dates;
    }

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
