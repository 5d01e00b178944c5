using System.Diagnostics;
using CoopFeeds.Tests.Cli;
using Microsoft.Data.Sqlite;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// The real service (<c>dotnet CoopFeeds.dll serve</c>) as a child process, killed with SIGKILL in the middle of its pass
/// over many sources and started again on the same data folder, as a crash-looping deployment would. The sources it was
/// running when killed are run again once their leases expire. The test watches the
/// SQLite file, so it kills the service right after a number of runs have been stored, whatever it is doing then.
/// </summary>
public sealed class CrashRestartTests
{
    private const int SourceCount = 30;

    /// <summary>How many more sources have been stored when each kill comes: about a sixth of the pass each time.</summary>
    private static readonly int[] KillAfterStored = [4, 5, 6, 5, 4];

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2); // per start; a safety net, not a pace

    [Fact]
    public async Task AServiceKilledMidPassKeepsEveryItemAndItsRestartsReachEverySource()
    {
        await using var site = await FaultSite.StartAsync();
        var sources = Enumerable.Range(1, SourceCount).Select(n =>
        {
            site.Serve($"/list/{n}", FaultSite.Html(FaultSite.Listing(5, first: n * 100)));
            return new SourceSpec($"source-{n:00}", site.Url($"/list/{n}"));
        }).ToArray();
        await using var file = FaultSources.Write(sources);
        var data = Directory.CreateTempSubdirectory("coopfeeds-crash-").FullName;
        var database = new Database(Path.Combine(data, "coopfeeds.db"));
        try
        {
            var kept = new HashSet<(string Source, string Key, string Id)>();
            var stored = 0;
            foreach (var more in KillAfterStored)
            {
                stored += more;
                await ServeUntilAsync(file.Path, data, () => database.StoredSources().Count >= stored);
                var items = database.Items();
                Assert.Superset(kept, items.ToHashSet());
                kept.UnionWith(items);
            }

            // The last start reaches every source the kills left out, and runs none of the others again: their next
            // attempts are stored an interval (an hour) ahead, and a restart honours them.
            var before = database.StoredSources();
            Assert.InRange(before.Count, KillAfterStored.Sum(), SourceCount - 1);
            await ServeUntilAsync(file.Path, data, () => database.StoredSources().Count == SourceCount);

            var after = database.StoredSources();
            Assert.All(before, source => Assert.Equal(source.Value, after[source.Key]));
            Assert.Equal("ok", database.IntegrityCheck());
            var final = database.Items();
            Assert.Superset(kept, final.ToHashSet());
            Assert.Equal(SourceCount * 5, final.Count);
            Assert.Equal(final.Count, final.Select(i => i.Id).Distinct().Count());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Starts the service, waits (polling the database, with a deadline) until <paramref name="done"/>, then kills it.</summary>
    private static async Task ServeUntilAsync(string sourcesPath, string data, Func<bool> done)
    {
        await using var serve = await ServeProcess.StartAsync(sourcesPath, data,
        [
            "--Ingestion:PerHostDelay=00:00:00",
            // The sources a killed process was running stay leased to it until their leases expire (RunTimeout + 1 minute
            // by default), as they would for another instance taking over: short here, so the restarts reach them soon.
            "--Ingestion:LeaseDuration=00:00:03",
        ]);
        try
        {
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            var deadline = Stopwatch.StartNew();
            while (!done())
            {
                Assert.False(serve.HasExited, $"the service stopped by itself: {(serve.HasExited ? await serve.Errors : "")}");
                Assert.True(deadline.Elapsed < Deadline, "the service did not store the runs in time");
                await poll.WaitForNextTickAsync();
            }
        }
        finally
        {
            await serve.KillAsync(); // SIGKILL: no shutdown, no rollback but SQLite's own
        }
    }

    /// <summary>The service's SQLite file, read as another process would while the service writes to it.</summary>
    private sealed class Database(string path)
    {
        private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();

        /// <summary>Each source with a stored run, and when its last run started (UTC ticks); none before the schema exists.</summary>
        public Dictionary<string, long> StoredSources()
        {
            if (!File.Exists(path)) return [];
            try
            {
                return Query("SELECT source_id, last_attempt_at FROM source_state", r => (r.GetString(0), r.GetInt64(1)))
                    .ToDictionary(s => s.Item1, s => s.Item2);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 1) // no such table: the service is still migrating
            {
                return [];
            }
        }

        public List<(string Source, string Key, string Id)> Items() =>
            Query("SELECT source_id, identity_key, item_id FROM items", r => (r.GetString(0), r.GetString(1), r.GetString(2)));

        public string IntegrityCheck() => string.Join("\n", Query("PRAGMA integrity_check", r => r.GetString(0)));

        private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read()) rows.Add(read(reader));
            return rows;
        }
    }
}
