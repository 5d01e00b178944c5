using CoopFeeds.Core;
using Microsoft.Data.Sqlite;
using static CoopFeeds.Storage.Tests.Samples;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// The store keeps positions, section counts and per-source counts beside the items so that no query scans the store. These
/// tests hold every answer built on them to the plain definition, asked of the same file in SQL that reads only the items:
/// "each id once" as NOT EXISTS over earlier rows, counts with count(DISTINCT), archive pages with OFFSET in insertion order.
/// </summary>
public sealed class StoredFiguresTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly string[] Sections = ["news", "events", "resources"];
    private const int PageSize = 3;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task EveryAnswerMatchesTheDefinitionThroughSavesEditsMovesAndPurges(int seed)
    {
        await using var db = await TempDatabase.CreateAsync();
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

    [Fact]
    public async Task AVersionFiveDatabaseGainsTheFiguresWithTheSameAnswers()
    {
        await using var db = await TempDatabase.CreateAsync();
        var events = new SourceRun("events-source", "events");
        await db.Store.SaveAsync(News, [.. Enumerable.Range(1, 7).Select(n => Item($"n{n}", published: T0.AddDays(-n)))], Success(T0), None);
        await db.Store.SaveAsync(events, [Item("n2", source: events), Item("e1", source: events)], Success(T0.AddHours(1)), None);
        using (var connection = db.OpenRawConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = TempDatabase.UndoStoredFigures + "PRAGMA user_version = 5;";
            command.ExecuteNonQuery();
        }
        SqliteConnection.ClearAllPools();

        await db.Store.MigrateAsync(None);

        await AssertMatchesDefinitionAsync(db, "after migrating from version 5");
        Assert.Equal(7, (await db.Store.GetSourceStateAsync(News.SourceId, None))?.StoredItemCount);
        Assert.Equal(2, (await db.Store.GetSourceStateAsync(events.SourceId, None))?.StoredItemCount);
    }

    private static async Task AssertMatchesDefinitionAsync(TempDatabase db, string when)
    {
        foreach (var section in Sections.Append(null))
        {
            var scope = section is null ? null : new[] { section };
            var expectedNewest = Definition(db, $"""
                SELECT i.item_id FROM items AS i
                WHERE {SectionTerm(section)} AND NOT EXISTS (
                    SELECT 1 FROM items AS e WHERE e.item_id = i.item_id AND e.seq < i.seq AND {SectionTerm(section, "e")})
                ORDER BY i.feed_date DESC, i.item_id
                """, section);
            var newest = await db.Store.GetItemsAsync(new ItemQuery { Sections = scope, Limit = 1000 }, None);
            Assert.True(expectedNewest.SequenceEqual(newest.Select(i => i.Item.Id)), $"{when}: newest items of {section ?? "all"}");
            Assert.Equal(expectedNewest.Count, await db.Store.CountItemsAsync(new ItemQuery { Sections = scope }, None));

            var inserted = Definition(db, $"""
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

        var expectedStats = Definition(db, """
            SELECT section || ' ' || count(DISTINCT item_id) || ' ' || max(last_changed) FROM items GROUP BY section ORDER BY section
            """, null);
        var stats = await db.Store.GetSectionStatsAsync(None);
        Assert.Equal(expectedStats, stats.Select(s => $"{s.Section} {s.ItemCount} {s.LastChanged?.UtcTicks}"));

        var expectedCounts = Definition(db, """
            SELECT s.source_id || ' ' || (SELECT count(*) FROM items AS i WHERE i.source_id = s.source_id) FROM source_state AS s ORDER BY s.source_id
            """, null);
        var states = await db.Store.GetSourceStatesAsync(None);
        Assert.Equal(expectedCounts, states.Select(s => $"{s.SourceId} {s.StoredItemCount}"));
    }

    private static string SectionTerm(string? section, string alias = "i") => section is null ? "1" : $"{alias}.section = @section";

    /// <summary>The first column of every row of <paramref name="sql"/>, read straight from the file.</summary>
    private static List<string> Definition(TempDatabase db, string sql, string? section)
    {
        using var connection = db.OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@section", (object?)section ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }
}
