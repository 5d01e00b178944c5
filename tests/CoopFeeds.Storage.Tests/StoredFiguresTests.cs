using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// The store keeps positions, section counts and per-source counts beside the items so that no query scans the store. These
/// tests hold every answer built on them to the plain definition, asked of the same database in SQL that reads only the
/// items: "each id once" as NOT EXISTS over earlier rows, counts with count(DISTINCT), archive pages in insertion order.
/// </summary>
public abstract class StoredFiguresTests(StoreKind kind) : StoreContract(kind)
{
    private static readonly string[] Sections = ["news", "events", "resources"];
    private const int PageSize = 3;

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task EveryAnswerMatchesTheDefinitionThroughSavesEditsMovesAndPurges(int seed)
    {
        await using var db = await CreateDatabaseAsync();
        var random = new Random(seed);
        // Six sources over three sections, all drawing on one pool of links, so ids repeat within and across sections.
        var placement = Enumerable.Range(0, 6).ToDictionary(n => $"source-{n}", n => Sections[n % Sections.Length]);
        var at = T0;

        for (var step = 0; step < 60; step++)
        {
            at = at.AddMinutes(10);
            var sourceId = $"source-{random.Next(6)}";
            var roll = random.Next(20);
            if (roll == 0)
            {
                await db.Store.PurgeAsync(sourceId, random.Next(2) == 0 ? null : at.AddMinutes(-10 * random.Next(1, 30)), None);
            }
            else
            {
                if (roll == 1)
                {
                    placement[sourceId] = Sections[random.Next(Sections.Length)]; // The source moved to another section.
                }

                var run = new SourceRun(sourceId, placement[sourceId]);
                var items = Enumerable.Range(0, random.Next(0, 8))
                    .Select(_ => random.Next(30))
                    .Select(link => Item($"link-{link}", source: run,
                        title: random.Next(4) == 0 ? $"Edited {random.Next(3)}" : null,
                        published: random.Next(3) == 0 ? null : T0.AddDays(-link)))
                    .ToList();
                await db.Store.SaveAsync(run, items, Success(at, itemsFound: items.Count), None);
            }

            await AssertMatchesDefinitionAsync(db, $"seed {seed}, step {step}");
        }
    }

    [SkippableFact]
    public async Task ARunLongerThanOneStatementKeepsThePositionsOfTheDefinition()
    {
        await using var db = await CreateDatabaseAsync();
        var news = new SourceRun("source-news", "news");
        var events = new SourceRun("source-events", "events");
        await db.Store.SaveAsync(news, [.. Enumerable.Range(0, 300).Select(n => Item($"link-{n}", source: news))], Success(T0), None);

        // 600 items, more than one read or insert of a save carries: the first 100 ids are stored in another section already,
        // a key comes twice (the first wins), and a later item has the id of an earlier one under another key.
        List<Core.Item> run =
        [
            .. Enumerable.Range(200, 600).Select(n => Item($"link-{n}", source: events)),
            Item("link-250", title: "A second copy of a key", source: events),
            Item("link-700", source: events) with { IdentityKey = "example.org/another-key-for-700" },
        ];
        var first = await db.Store.SaveAsync(events, run, Success(T0.AddMinutes(10)), None);
        Assert.Equal(new SaveResult(601, 0, 0), first);
        await AssertMatchesDefinitionAsync(db, "after the long run");

        var again = await db.Store.SaveAsync(events, run, Success(T0.AddMinutes(20)), None);
        Assert.Equal(new SaveResult(0, 0, 601), again);
        await AssertMatchesDefinitionAsync(db, "after the long run again");
    }

    internal static async Task AssertMatchesDefinitionAsync(TestDatabase db, string when)
    {
        foreach (var section in Sections.Append(null))
        {
            var scope = section is null ? null : new[] { section };
            var expectedNewest = await db.QueryAsync($"""
                SELECT i.item_id FROM items AS i
                WHERE {SectionTerm(section)} AND NOT EXISTS (
                    SELECT 1 FROM items AS e WHERE e.item_id = i.item_id AND e.seq < i.seq AND {SectionTerm(section, "e")})
                ORDER BY i.feed_date DESC, i.item_id
                """, section);
            var newest = await db.Store.GetItemsAsync(new ItemQuery { Sections = scope, Limit = 1000 }, None);
            Assert.True(expectedNewest.SequenceEqual(newest.Select(i => i.Item.Id)), $"{when}: newest items of {section ?? "all"}");
            Assert.Equal(expectedNewest.Count, await db.Store.CountItemsAsync(new ItemQuery { Sections = scope }, None));

            var inserted = await db.QueryAsync($"""
                SELECT i.item_id FROM items AS i
                WHERE {SectionTerm(section)} AND NOT EXISTS (
                    SELECT 1 FROM items AS e WHERE e.item_id = i.item_id AND e.seq < i.seq AND {SectionTerm(section, "e")})
                ORDER BY i.seq
                """, section);
            for (var page = 1; page <= inserted.Count / PageSize + 1; page++)
            {
                var archive = await db.Store.GetArchiveAsync(section, page, PageSize, None);
                Assert.True(inserted.Skip((page - 1) * PageSize).Take(PageSize).SequenceEqual(archive.Select(i => i.Item.Id)),
                    $"{when}: archive page {page} of {section ?? "all"}");
            }
        }

        var expectedStats = await db.QueryAsync("""
            SELECT section || ' ' || count(DISTINCT item_id) || ' ' || max(last_changed) FROM items GROUP BY section ORDER BY section
            """);
        var stats = await db.Store.GetSectionStatsAsync(None);
        Assert.Equal(expectedStats, stats.Select(s => $"{s.Section} {s.ItemCount} {s.LastChanged?.UtcTicks}"));

        var expectedCounts = await db.QueryAsync("""
            SELECT s.source_id || ' ' || (SELECT count(*) FROM items AS i WHERE i.source_id = s.source_id) FROM source_state AS s ORDER BY s.source_id
            """);
        var states = await db.Store.GetSourceStatesAsync(None);
        Assert.Equal(expectedCounts, states.Select(s => $"{s.SourceId} {s.StoredItemCount}"));
    }

    private static string SectionTerm(string? section, string alias = "i") => section is null ? "1 = 1" : $"{alias}.section = @section";
}

public sealed class SqliteStoredFiguresTests() : StoredFiguresTests(StoreKind.Sqlite);

public sealed class PostgresStoredFiguresTests() : StoredFiguresTests(StoreKind.Postgres);
