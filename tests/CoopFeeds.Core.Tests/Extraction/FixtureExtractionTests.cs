using System.Globalization;
using CoopFeeds.Core.Normalization;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>
/// Each fixture page of Fixtures/Extraction, read with the selectors a maintainer would write, gives exactly the items
/// its expectation file lists — in order, field by field, and nothing else — and exactly the warnings it lists.
/// </summary>
public sealed class FixtureExtractionTests
{
    public static readonly IReadOnlyList<string> Names =
    [
        "wordpress-archive",
        "drupal-views-table",
        "card-grid",
        "month-groups",
        "events-by-month",
        "french",
        "spanish",
        "paginated",
        "malformed",
        "windows-1252",
        "windows-1252-undeclared",
        "chrome-news-portal",
        "chrome-wordpress-blog",
        "chrome-drupal-reports",
        "chrome-french-agenda",
        "chrome-spanish-cards",
        "chrome-paginated",
        "chrome-year-headings",
        "ghost-blog",
        "govuk-document-list",
        "diary-definition-list",
        "german-teasers",
        "forum-table-rows",
        "drupal7-views-rows",
        "tailwind-link-cards",
        "french-month-paragraphs",
        "blog-dates-without-year",
        "table-view-button",
    ];

    public static TheoryData<string> FixtureNames => new(Names);

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public async Task FixturePageYieldsExactlyItsExpectedItemsInOrder(string name)
    {
        var fixture = ExtractionFixture.Load(name);
        var read = await fixture.ReadAsync();

        var problems = new List<string>();
        var expected = fixture.ExpectedItems;
        if (expected.Count != read.Items.Count)
        {
            problems.Add($"expected {expected.Count} items, got {read.Items.Count}: {string.Join(" | ", read.Items.Select(i => i.Title))}");
        }

        for (var i = 0; i < Math.Min(expected.Count, read.Items.Count); i++)
        {
            var want = expected[i];
            var got = read.Items[i];
            Check($"item {i + 1} title", want.Title, got.Title);
            Check($"item {i + 1} link", want.Link, got.Link?.AbsoluteUri);
            Check($"item {i + 1} date", Format(want.Date), Format(got.Published));
            Check($"item {i + 1} summary", want.Summary, got.Summary);
            Check($"item {i + 1} category", want.Category, got.Category);
            if (want.ChecksSummaryHtml)
            {
                Check($"item {i + 1} summary HTML", want.SummaryHtml, got.SummaryHtml);
            }
        }

        Assert.True(problems.Count == 0, $"{name}:\n" + string.Join("\n", problems));

        void Check(string what, string? want, string? got)
        {
            if (!string.Equals(want, got, StringComparison.Ordinal))
            {
                problems.Add($"{what}: expected {Show(want)}, got {Show(got)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public async Task FixtureItemIdsComeFromTheirLinksAndAreUnique(string name)
    {
        var read = await ExtractionFixture.Load(name).ReadAsync();

        Assert.NotEmpty(read.Items);
        foreach (var item in read.Items)
        {
            Assert.NotNull(item.Link);
            Assert.Equal(ItemIdentity.KeyFor(item.Link!), item.IdentityKey);
            Assert.Equal(ItemIdentity.FeedId(ItemIdentity.KeyFor(item.Link!)), item.Id);
        }

        Assert.Equal(read.Items.Count, read.Items.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public async Task FixturePageGivesExactlyItsExpectedWarnings(string name)
    {
        var fixture = ExtractionFixture.Load(name);
        var read = await fixture.ReadAsync();

        var unmatched = read.Warnings.ToList();
        var missing = new List<string>();
        foreach (var expected in fixture.ExpectedWarnings)
        {
            var found = unmatched.FindIndex(w => w.Contains(expected, StringComparison.Ordinal));
            if (found < 0) missing.Add(expected);
            else unmatched.RemoveAt(found);
        }

        Assert.True(missing.Count == 0 && unmatched.Count == 0,
            $"{name}: missing warnings [{string.Join(" | ", missing)}]; unexpected warnings [{string.Join(" | ", unmatched)}]");
    }

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public async Task FixturePageGivesItsExpectedNextPageLinks(string name)
    {
        var fixture = ExtractionFixture.Load(name);
        var read = await fixture.ReadAsync();

        Assert.Equal(fixture.ExpectedNextPages, read.NextPages);
    }

    [Fact]
    public async Task PaginatedListingFollowsNextPageAndKeepsTheFirstCopyOfAnItemOnBothPages()
    {
        var read = await ExtractionFixture.Load("paginated").ReadAsync();

        Assert.Equal(2, read.Pages.Count);
        Assert.Equal("page2.html", read.Pages[0].NextPage);
        Assert.True(read.Pages[0].Matches.NextPage);
        Assert.Equal([1, 1, 1], read.Pages[0].Items.Select(i => i.Page));
        Assert.Equal([2, 2, 2], read.Pages[1].Items.Select(i => i.Page));
        var overlap = Assert.Single(read.Items, i => i.Title == "A reading list on data cooperatives");
        Assert.Equal("Ten papers and two books, with notes.", overlap.Summary);
    }

    [Fact]
    public async Task MalformedSummaryLosesScriptsHandlersAndScriptLinksAndGetsAbsoluteUrls()
    {
        var read = await ExtractionFixture.Load("malformed").ReadAsync();

        foreach (var html in read.Items.Select(i => i.SummaryHtml).OfType<string>())
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onerror", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("injected", html, StringComparison.Ordinal);
        }

        var vote = Assert.Single(read.Items, i => i.Title == "Board elections 2021");
        Assert.Contains("src=\"http://cdn.example.net/vote.png\"", vote.SummaryHtml, StringComparison.Ordinal);
    }

    private static string? Format(DateTimeOffset? date) =>
        date?.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static string Show(string? text) => text is null ? "null" : "\"" + text + "\"";
}
