using CoopFeeds.Core;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

public abstract class SaveTests(StoreKind kind) : StoreContract(kind)
{

    [SkippableFact]
    public async Task SavedItemsReadBackWithEveryFieldExactly()
    {
        await using var db = await CreateDatabaseAsync();
        var dated = new Item
        {
            Id = "urn:uuid:6f1c2f1e-0000-5000-8000-000000000001",
            IdentityKey = "www.ilo.org/resource/news/coops-2025?id=7",
            SourceId = News.SourceId,
            Title = "Coopératives & the “social economy” <2025>",
            Link = new Uri("https://www.ilo.org/resource/news/coops-2025?id=7&lang=fr"),
            Published = new DateTimeOffset(2025, 2, 14, 9, 30, 15, TimeSpan.FromMinutes(330)).AddTicks(1234567),
            Summary = "Plain summary\nwith two lines",
            SummaryHtml = "<p>Plain <em>summary</em></p>",
            Category = "Économie sociale",
        };
        var bare = new Item
        {
            Id = "urn:uuid:6f1c2f1e-0000-5000-8000-000000000002",
            IdentityKey = "source:ilo-coop-news#abc123",
            SourceId = News.SourceId,
            Title = "An item with nothing but a title",
        };

        var result = await db.Store.SaveAsync(News, [dated, bare], Success(T0, itemsFound: 2), None);

        Assert.Equal(new SaveResult(2, 0, 0), result);
        var stored = (await db.Store.AllItemsAsync()).ToDictionary(s => s.Item.IdentityKey);
        Assert.Equal(dated, stored[dated.IdentityKey].Item);
        Assert.Equal(bare, stored[bare.IdentityKey].Item);
        // Record equality compares instants and canonical links; the page's offset and the link's text must survive too.
        Assert.Equal(TimeSpan.FromMinutes(330), stored[dated.IdentityKey].Item.Published!.Value.Offset);
        Assert.Equal(dated.Published!.Value.Ticks, stored[dated.IdentityKey].Item.Published!.Value.Ticks);
        Assert.Equal(dated.Link!.OriginalString, stored[dated.IdentityKey].Item.Link!.OriginalString);
        Assert.Null(stored[bare.IdentityKey].Item.Published);
        Assert.Null(stored[bare.IdentityKey].Item.Link);
        foreach (var item in stored.Values)
        {
            Assert.Equal("news", item.Section);
            Assert.Equal(T0, item.FirstSeen);
            Assert.Equal(T0, item.LastChanged);
            Assert.True(item.Sequence > 0);
        }

        Assert.Equal(T0, stored[bare.IdentityKey].Published);
        Assert.NotEqual(stored[dated.IdentityKey].Sequence, stored[bare.IdentityKey].Sequence);
    }

    [SkippableFact]
    public async Task SavingTheSameItemsAgainWritesNothing()
    {
        await using var db = await CreateDatabaseAsync();
        Item[] items = [Item("a", published: T0.AddDays(-1)), Item("b")];
        await db.Store.SaveAsync(News, items, Success(T0), None);
        var version = await db.Store.GetVersionAsync(None);
        var before = await db.Store.AllItemsAsync();

        var result = await db.Store.SaveAsync(News, items, Success(T0.AddHours(1)), None);

        Assert.Equal(new SaveResult(0, 0, 2), result);
        Assert.True(version > 0);
        Assert.Equal(version, await db.Store.GetVersionAsync(None));
        Assert.Equal(before, await db.Store.AllItemsAsync());
    }

    [SkippableFact]
    public async Task AnEditedTitleUpdatesTheItemInPlace()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0), None);
        var version = await db.Store.GetVersionAsync(None);
        var original = (await db.Store.AllItemsAsync()).Single(s => s.Item.IdentityKey == "example.org/a");

        var later = T0.AddHours(1);
        var result = await db.Store.SaveAsync(News, [Item("a", title: "A corrected title"), Item("b")], Success(later), None);

        Assert.Equal(new SaveResult(0, 1, 1), result);
        var edited = (await db.Store.AllItemsAsync()).Single(s => s.Item.IdentityKey == "example.org/a");
        Assert.Equal("A corrected title", edited.Item.Title);
        Assert.Equal(original.Item.Id, edited.Item.Id);
        Assert.Equal(original.Sequence, edited.Sequence);
        Assert.Equal(T0, edited.FirstSeen);
        Assert.Equal(later, edited.LastChanged);
        Assert.Equal(version + 1, await db.Store.GetVersionAsync(None));
    }

    [SkippableFact]
    public async Task TheFirstOccurrenceOfAKeyInARunWins()
    {
        await using var db = await CreateDatabaseAsync();

        var result = await db.Store.SaveAsync(News, [Item("a", title: "First"), Item("a", title: "Second")], Success(T0), None);

        Assert.Equal(new SaveResult(1, 0, 0), result);
        Assert.Equal("First", Assert.Single(await db.Store.AllItemsAsync()).Item.Title);
    }

    [SkippableFact]
    public async Task ItemsAreNeverRemovedBySaving()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0), None);

        var result = await db.Store.SaveAsync(News, [Item("c")], Success(T0.AddHours(1)), None);

        Assert.Equal(new SaveResult(1, 0, 0), result);
        Assert.Equal(3, (await db.Store.AllItemsAsync()).Count);
    }

    [SkippableFact]
    public async Task ASourceMovedToAnotherSectionTakesItsItemsAlongWithoutEditingThemAndSaysWhereFrom()
    {
        await using var db = await CreateDatabaseAsync();
        await db.Store.SaveAsync(News, [Item("a")], Success(T0), None);
        var version = await db.Store.GetVersionAsync(None);

        var result = await db.Store.SaveAsync(News with { Section = "events" }, [Item("a")], Success(T0.AddHours(1)), None);
        var again = await db.Store.SaveAsync(News with { Section = "events" }, [Item("a")], Success(T0.AddHours(2)), None);

        Assert.Equal((0, 0, 1), (result.New, result.Updated, result.Unchanged));
        Assert.Equal(["news"], result.MovedFrom);
        Assert.Equal(new SaveResult(0, 0, 1), again); // nothing moved the second time
        var moved = Assert.Single(await db.Store.AllItemsAsync());
        Assert.Equal("events", moved.Section);
        Assert.Equal(T0, moved.LastChanged);
        Assert.True(await db.Store.GetVersionAsync(None) > version);
    }

    [SkippableFact]
    public async Task IdentityKeysAreThoseOfTheSource()
    {
        await using var db = await CreateDatabaseAsync();
        var other = new SourceRun("other", "news");
        await db.Store.SaveAsync(News, [Item("a"), Item("b")], Success(T0), None);
        await db.Store.SaveAsync(other, [Item("c", source: other)], Success(T0), None);

        var keys = await db.Store.GetIdentityKeysAsync(News.SourceId, None);

        Assert.Equal(["example.org/a", "example.org/b"], keys.Order());
        Assert.Empty(await db.Store.GetIdentityKeysAsync("unknown", None));
    }

    [SkippableFact]
    public async Task AnItemOfAnotherSourceIsRefused()
    {
        await using var db = await CreateDatabaseAsync();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            db.Store.SaveAsync(News, [Item("a", source: new SourceRun("other", "news"))], Success(T0), None));
        Assert.Empty(await db.Store.AllItemsAsync());
    }
}

public sealed class SqliteSaveTests() : SaveTests(StoreKind.Sqlite);

public sealed class PostgresSaveTests() : SaveTests(StoreKind.Postgres);
