using CoopFeeds.Core;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class QueryTests(StoreKind kind) : StoreContract(kind)
{
    private static readonly SourceRun Events = new("coop-events", "events");

    [SkippableFact]
    public async Task AnItemDatedAfterItWasFirstSeenIsShownAndSortedAtItsFirstSeenTime()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [
            Item("older", published: T0.AddDays(-3)),
            Item("event", published: T0.AddDays(30)),
            Item("yesterday", published: T0.AddDays(-1)),
        ], Success(T0), None);
        await db.Store.SaveAsync(News, [Item("later-undated")], Success(T0.AddHours(1)), None);

        var items = await db.Store.AllItemsAsync();

        // Newest first by the date a feed shows: the event (a month ahead) sits at its first-seen time, not on top.
        Assert.Equal(["later-undated", "event", "yesterday", "older"], items.Select(s => s.Item.IdentityKey["example.org/".Length..]));
        var shownEvent = items.Single(s => s.Item.IdentityKey == "example.org/event");
        Assert.Equal(T0, shownEvent.Published);
        Assert.Equal(T0.AddDays(30), shownEvent.Item.Published); // the page's date itself is kept
        Assert.Equal(T0.AddDays(-1), items.Single(s => s.Item.IdentityKey == "example.org/yesterday").Published);
    }

    [SkippableFact]
    public async Task TheCombinedFeedShowsAnItemListedInTwoSectionsOnce()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("shared", title: "As news"), Item("a")], Success(T0), None);
        await db.Store.SaveAsync(Events, [Item("shared", title: "As an event", source: Events), Item("x", source: Events)], Success(T0.AddMinutes(1)), None);

        var all = await db.Store.GetItemsAsync(new ItemQuery(), None);
        var events = await db.Store.GetItemsAsync(new ItemQuery { Sections = ["events"] }, None);
        var both = await db.Store.GetItemsAsync(new ItemQuery { Sections = ["news", "events"] }, None);

        Assert.Equal(3, all.Count);
        var shared = Assert.Single(all, s => s.Item.Id == "urn:test:shared");
        Assert.Equal("As news", shared.Item.Title); // the copy stored first
        Assert.Equal("news", shared.Section);
        Assert.Equal(["As an event", "Title of x"], events.Select(s => s.Item.Title).Order());
        Assert.Equal(all, both);
        Assert.Equal(3, await db.Store.CountItemsAsync(new ItemQuery(), None));
        Assert.Equal(2, await db.Store.CountItemsAsync(new ItemQuery { Sections = ["events"] }, None));
        Assert.Empty(await db.Store.GetItemsAsync(new ItemQuery { Sections = [] }, None));
    }

    [SkippableFact]
    public async Task SectionStatsCountEachItemOnceWithTheNewestChange()
    {
        await using var db = await CreateDatabaseAsync();
        var otherNews = new SourceRun("other-news", "news");
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0), None);
        await db.Store.SaveAsync(otherNews, [Item("b", source: otherNews)], Success(T0.AddHours(1)), None);
        await db.Store.SaveAsync(Events, [Item("x", source: Events)], Success(T0.AddHours(2)), None);

        var stats = await db.Store.GetSectionStatsAsync(None);

        Assert.Equal([new SectionStats("events", 1, T0.AddHours(2)), new SectionStats("news", 2, T0.AddHours(1))], stats);
        Assert.Equal(2, await db.Store.CountItemsAsync(new ItemQuery { Sections = ["news"] }, None));
    }

    [SkippableFact]
    public async Task CategoriesMatchAnyOfThemIgnoringCase()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News,
        [
            Item("a") with { Category = "Économie sociale" },
            Item("b") with { Category = "Policy" },
            Item("c") with { Category = "Events" },
            Item("d") with { Category = null },
        ], Success(T0), None);

        var found = await db.Store.GetItemsAsync(new ItemQuery { Categories = ["éCONOMIE SOCIALE", "policy"] }, None);
        var upper = await db.Store.GetItemsAsync(new ItemQuery { Categories = ["ÉCONOMIE SOCIALE"] }, None);

        Assert.Equal(["example.org/a", "example.org/b"], found.Select(s => s.Item.IdentityKey).Order());
        Assert.Equal(["example.org/a"], upper.Select(s => s.Item.IdentityKey));
        Assert.Equal(1, await db.Store.CountItemsAsync(new ItemQuery { Categories = ["économie SOCIALE"] }, None));
    }

    [SkippableFact]
    public async Task WordsMatchBeyondAsciiIgnoringCase()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News,
        [
            Item("fr") with { Title = "L'Économie sociale et solidaire", Summary = null },
            Item("ru") with { Title = "Кооперативы", Summary = "ЭКОНОМИКА И ОБЩЕСТВО" },
            Item("de") with { Title = "Genossenschaften", Summary = "Straße und GRÜNDUNG" },
        ], Success(T0), None);

        Assert.Equal(["fr"], await FindAsync(db, "ÉCONOMIE"));
        Assert.Equal(["fr"], await FindAsync(db, "économie SOLIDAIRE"));
        Assert.Equal(["ru"], await FindAsync(db, "КООПЕРАТИВЫ экономика"));
        Assert.Equal(["de"], await FindAsync(db, "gründung"));
        Assert.Empty(await FindAsync(db, "economie")); // folding keeps accents: é is not e
    }

    [SkippableFact]
    public async Task TextNeedsEveryWordInTheTitleOrSummaryAndTakesWildcardsLiterally()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News,
        [
            Item("percent") with { Title = "A 100% cooperative economy", Summary = "Members own it" },
            Item("digits") with { Title = "1000 cooperatives", Summary = "Growth in Kenya" },
            Item("underscore") with { Title = "The snake_case report", Summary = null },
            Item("letter") with { Title = "The snakeXcase report", Summary = "Économie" },
        ], Success(T0), None);

        Assert.Equal(["percent"], await FindAsync(db, "100%"));
        Assert.Equal(["underscore"], await FindAsync(db, "snake_case"));
        Assert.Equal(["digits", "percent"], await FindAsync(db, "  COOPERATIVE  "));
        Assert.Equal(["percent"], await FindAsync(db, "cooperative members"));
        Assert.Equal(["letter"], await FindAsync(db, "éCONOMIE report"));
        Assert.Empty(await FindAsync(db, "cooperative kenya members"));
        Assert.Equal(4, (await FindAsync(db, " ")).Length);
        Assert.Equal(1, await db.Store.CountItemsAsync(new ItemQuery { Text = "%" }, None));
    }

    [SkippableFact]
    public async Task ItemsComeNewestFirstThenByIdWhateverTheInsertionOrder()
    {
        await using var db = await CreateDatabaseAsync();
        var day = new DateTimeOffset(2025, 2, 1, 12, 0, 0, TimeSpan.Zero);
        // The same instant written with two offsets, an older one, and an undated item shown at its first-seen time.
        await db.Store.SaveAsync(News,
        [
            Item("c", published: day.ToOffset(TimeSpan.FromHours(2))),
            Item("old", published: day.AddDays(-3)),
            Item("a", published: day),
            Item("undated"),
            Item("b", published: day.ToOffset(TimeSpan.FromHours(-5))),
        ], Success(T0), None);

        var items = await db.Store.GetItemsAsync(new ItemQuery(), None);
        var page = await db.Store.GetItemsAsync(new ItemQuery { Limit = 2, Offset = 1 }, None);

        Assert.Equal(["urn:test:undated", "urn:test:a", "urn:test:b", "urn:test:c", "urn:test:old"], items.Select(s => s.Item.Id));
        Assert.Equal(["urn:test:a", "urn:test:b"], page.Select(s => s.Item.Id));
        Assert.Equal(T0, items[0].Published);
    }

    [SkippableFact]
    public async Task IdsOfOneDateAndSectionsSortBytewiseWhateverTheDatabaseLocale()
    {
        await using var db = await CreateDatabaseAsync();
        var day = new DateTimeOffset(2025, 2, 1, 12, 0, 0, TimeSpan.Zero);
        string[] slugs = ["é", "a", "Z", "É", "B"];
        await db.Store.SaveAsync(News, [.. slugs.Select(slug => Item(slug, published: day))], Success(T0), None);
        foreach (var section in new[] { "économie", "Zeta", "alpha", "Beta" })
        {
            var run = new SourceRun($"source-{section}", section);
            await db.Store.SaveAsync(run, [Item($"in-{section}", source: run)], Success(T0), None);
        }

        var items = await db.Store.GetItemsAsync(new ItemQuery { Sections = ["news"] }, None);

        // Code point order (UTF-8 bytes), as SQLite's BINARY and .NET's ordinal comparison give, not a language's order.
        Assert.Equal(["urn:test:B", "urn:test:Z", "urn:test:a", "urn:test:É", "urn:test:é"], items.Select(s => s.Item.Id));
        Assert.Equal(["Beta", "Zeta", "alpha", "news", "économie"], (await db.Store.GetSectionStatsAsync(None)).Select(s => s.Section));
        Assert.Equal(["ilo-coop-news", "source-Beta", "source-Zeta", "source-alpha", "source-économie"],
            (await db.Store.GetSourceStatesAsync(None)).Select(s => s.SourceId));
    }

    /// <summary>The slugs of the items whose title or summary holds every word of <paramref name="text"/>, in order.</summary>
    private static async Task<string[]> FindAsync(TestDatabase db, string text) =>
        [.. (await db.Store.GetItemsAsync(new ItemQuery { Text = text }, None)).Select(s => s.Item.IdentityKey["example.org/".Length..]).Order()];
}

public sealed class SqliteQueryTests() : QueryTests(StoreKind.Sqlite);

public sealed class PostgresQueryTests() : QueryTests(StoreKind.Postgres);
