using System.Diagnostics;
using System.Text.Json;
using CoopFeeds.Storage.Tests;
using CoopFeeds.Tests.Cli;
using Npgsql;
using Xunit.Abstractions;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// Two real <c>serve</c> processes on one PostgreSQL database (<c>COOPFEEDS_TEST_POSTGRES</c>) with one PublicBaseUrl, as
/// two instances behind a load balancer, over a loopback site of many sources with short intervals. The site's log says who
/// fetched what when (each instance has its own User-Agent); the database says what is stored. Every wait is on a
/// condition with a deadline: the site's log, the database or the instances' answers.
/// </summary>
public sealed class SeveralInstancesTests(ITestOutputHelper output)
{
    private const int SourceCount = 100;
    private const int Intervals = 4;
    private const int ItemsPerPage = 5;

    /// <summary>The shortest interval a test may give (Ingestion:MinInterval is lowered below it).</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(4);

    [SkippableFact]
    public async Task TwoInstancesFetchEachSourceOncePerIntervalAndServeTheSameDocuments()
    {
        await using var rig = await Rig.StartAsync();
        await using var a = await rig.ServeAsync("a");
        await using var b = await rig.ServeAsync("b");

        // Four intervals once both run (each has fetched) and every source has been fetched once (the first pass, slowed by
        // both processes compiling their code as they go); over when the site has seen a request after them.
        await WaitUntilAsync(() => rig.Fetches() is var all && all.Select(f => f.Path).Distinct().Count() == SourceCount && all.Select(f => f.Instance).Distinct().Count() == 2,
            TimeSpan.FromMinutes(1), "the first pass");
        var from = DateTime.UtcNow;
        var until = from + Interval * Intervals;
        await WaitUntilAsync(() => rig.Fetches().Any(f => f.At > until), Interval * Intervals + TimeSpan.FromMinutes(1), "four intervals");

        var fetches = rig.Fetches().Where(f => f.At > from && f.At <= until).ToList();
        var perSource = fetches.GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.OrderBy(f => f.At).ToList());
        output.WriteLine($"{fetches.Count} first-page fetches in {Intervals} intervals of {Interval.TotalSeconds} s: a {fetches.Count(f => f.Instance == "a")}, "
            + $"b {fetches.Count(f => f.Instance == "b")}; per source {perSource.Values.Min(l => l.Count)} to {perSource.Values.Max(l => l.Count)}");

        var start = rig.Fetches().Min(f => f.At);
        foreach (var source in perSource.Take(3))
            output.WriteLine($"{source.Key}: {string.Join(", ", source.Value.Select(f => $"{f.Instance} +{(f.At - start).TotalSeconds:0.00}"))}");
        output.WriteLine($"first pass over after {(from - start).TotalSeconds:0.00} s");
        Assert.Equal(SourceCount, perSource.Count);
        Assert.All(perSource, source => Assert.True(source.Value.Count >= Intervals - 1, $"{source.Key} was fetched {source.Value.Count} times"));
        Assert.Empty(DoubleFetches(rig.Fetches()));
        // They share the work: each runs a good part of the sources.
        Assert.All(new[] { "a", "b" }, instance => Assert.True(fetches.Count(f => f.Instance == instance) >= fetches.Count / 5, $"{instance} did little"));

        await AssertSameDocumentsAsync(a, b, ItemsPerPage);
    }

    [SkippableFact]
    public async Task AnInstanceKilledMidPassLosesNothingAndItsSourcesAreFetchedAgainWithinAnIntervalAndALease()
    {
        await using var rig = await Rig.StartAsync();
        var a = await rig.ServeAsync("a");
        await using var b = await rig.ServeAsync("b");
        try
        {
            // Mid-pass: every source stored once, the next pass under way, and a holding leases of sources it is running.
            await WaitUntilAsync(async () => await rig.StoredSourcesAsync() == SourceCount, TimeSpan.FromMinutes(1), "the first pass");
            var firstPass = DateTime.UtcNow;
            // Frozen (SIGSTOP) before the leases are counted, so they are the ones it dies holding: a run of a loopback page
            // can end between a look and a kill.
            while (true)
            {
                await WaitUntilAsync(async () => rig.Fetches().Count(f => f.Instance == "a" && f.At > firstPass) >= 10 && await rig.LeasesHeldAsync(a.ProcessId) > 0,
                    TimeSpan.FromMinutes(1), "a in the middle of a pass");
                await SignalAsync(a.ProcessId, "STOP");
                if (await rig.LeasesHeldAsync(a.ProcessId) > 0) break;
                await SignalAsync(a.ProcessId, "CONT");
            }

            await a.KillAsync();
            var killedAt = DateTime.UtcNow;
            var leftLeased = await rig.LeasesHeldAsync(a.ProcessId);
            var stored = await rig.ItemsAsync();
            output.WriteLine($"a killed holding {leftLeased} leases, with {stored.Count} items stored");
            Assert.True(leftLeased > 0, "a was killed holding no lease");

            // The sites move on: every page gains an item.
            rig.ServePages(ItemsPerPage + 1);

            // Restarted an interval later; meanwhile b takes over, each source of a's once its lease expires.
            var bound = killedAt + Interval + LeaseDuration;
            await WaitUntilAsync(() => DateTime.UtcNow >= killedAt + Interval, Interval * 2, "an interval");
            a = await rig.ServeAsync("a");
            Dictionary<string, DateTime> Refetched() =>
                rig.Fetches().Where(f => f.At > killedAt).GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.Min(f => f.At));
            await WaitUntilAsync(() => Refetched().Count == SourceCount, Interval + LeaseDuration + TimeSpan.FromSeconds(30), "every source fetched again");
            var refetched = Refetched();
            var late = refetched.Where(f => f.Value > bound).Select(f => $"{f.Key} at +{(f.Value - killedAt).TotalSeconds:0.0} s").ToList();
            output.WriteLine($"every source fetched again within {(refetched.Values.Max() - killedAt).TotalSeconds:0.0} s of the kill");
            Assert.Empty(late);

            await AssertSameDocumentsAsync(a, b, ItemsPerPage + 1);
            var final = await rig.ItemsAsync();
            Assert.Superset(stored.ToHashSet(), final.ToHashSet());
            Assert.Equal(SourceCount * (ItemsPerPage + 1), final.Count);
            Assert.Equal(final.Count, final.Select(i => i.Id).Distinct().Count());
            using var feed = JsonDocument.Parse(await b.Client.GetStringAsync("feeds/faults.json?limit=500"));
            var ids = feed.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
            Assert.Equal(500, ids.Count);
            Assert.Equal(ids.Count, ids.Distinct().Count());
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    /// <summary>Fetches of one source by both instances closer than half its interval.</summary>
    private static IEnumerable<string> DoubleFetches(IEnumerable<Fetch> fetches) =>
        fetches.GroupBy(f => f.Path).SelectMany(source => source.OrderBy(f => f.At).Zip(source.OrderBy(f => f.At).Skip(1))
            .Where(pair => pair.First.Instance != pair.Second.Instance && pair.Second.At - pair.First.At < Interval / 2)
            .Select(pair => $"{source.Key}: {pair.First.Instance} at {pair.First.At:HH:mm:ss.fff}, {pair.Second.Instance} at {pair.Second.At:HH:mm:ss.fff}"));

    /// <summary>
    /// Waits until both instances show every source with <paramref name="items"/> stored items and the same
    /// <c>/api/sources</c> (id, state, storedItems, lastSuccessAt, lastError), and serve the same bytes with the same ETag
    /// for the feeds and the status feed: within a store version poll of the last run.
    /// </summary>
    private async Task AssertSameDocumentsAsync(ServeProcess a, ServeProcess b, int items)
    {
        string[] documents = ["feeds/faults.atom", "feeds/faults.rss", "feeds/faults.json", "feeds/all.atom", "sources.atom"];
        string? difference = null;
        var watch = Stopwatch.StartNew();
        var same = await PollAsync(async () =>
        {
            var (left, right) = (await SourcesAsync(a), await SourcesAsync(b));
            if (left.Count != SourceCount || left.Any(s => !s.Contains($"\"storedItems\":{items}", StringComparison.Ordinal)))
            {
                difference = $"not every source has {items} items yet";
                return false;
            }
            if (!left.SequenceEqual(right))
            {
                difference = $"/api/sources: {left.Except(right).FirstOrDefault()} against {right.Except(left).FirstOrDefault()}";
                return false;
            }
            foreach (var document in documents)
            {
                var (leftBody, leftTag) = await DocumentAsync(a, document);
                var (rightBody, rightTag) = await DocumentAsync(b, document);
                if (leftTag != rightTag || !leftBody.AsSpan().SequenceEqual(rightBody))
                {
                    difference = $"{document}: ETag {leftTag} against {rightTag}";
                    return false;
                }
            }
            return true;
        }, TimeSpan.FromSeconds(45)); // runs come in bursts (the sources started together): between two, both show the same
        output.WriteLine($"the instances agreed after {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.True(same, difference);
    }

    /// <summary>The fields every instance must agree on, one line per source.</summary>
    private static async Task<List<string>> SourcesAsync(ServeProcess instance)
    {
        using var document = JsonDocument.Parse(await instance.Client.GetStringAsync("api/sources"));
        return [.. document.RootElement.EnumerateArray().Select(s => JsonSerializer.Serialize(new Dictionary<string, JsonElement>
        {
            ["id"] = s.GetProperty("id"),
            ["state"] = s.GetProperty("state"),
            ["storedItems"] = s.GetProperty("storedItems"),
            ["lastSuccessAt"] = s.GetProperty("lastSuccessAt"),
            ["lastError"] = s.GetProperty("lastError"),
        }))];
    }

    private static async Task<(byte[] Body, string? ETag)> DocumentAsync(ServeProcess instance, string path)
    {
        using var response = await instance.Client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsByteArrayAsync(), response.Headers.ETag?.ToString());
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="timeout"/> passes (false).</summary>
    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        var deadline = Stopwatch.StartNew();
        do
        {
            if (await condition()) return true;
        }
        while (deadline.Elapsed < timeout && await poll.WaitForNextTickAsync());
        return false;
    }

    /// <summary>Sends a process a signal by name (STOP, CONT) with kill(1), and waits for kill to return.</summary>
    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        if (!await PollAsync(condition, timeout)) throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what}");
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>One first-page request of a source: which (its path), by which instance, when.</summary>
    private sealed record Fetch(string Path, string Instance, DateTime At);

    /// <summary>A PostgreSQL database, a loopback site with <see cref="SourceCount"/> sources and their sources file, and the instances' settings.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private readonly FaultSite _site;
        private readonly FaultSources _file;
        private readonly string _connectionString;
        private readonly string _data = Directory.CreateTempSubdirectory("coopfeeds-instances-").FullName;

        private Rig(FaultSite site, FaultSources file, string connectionString)
        {
            _site = site;
            _file = file;
            _connectionString = connectionString;
        }

        public static async Task<Rig> StartAsync()
        {
            var connectionString = await PostgresServer.CreateDatabaseAsync();
            var site = await FaultSite.StartAsync();
            var file = FaultSources.Write([.. Enumerable.Range(1, SourceCount)
                .Select(n => new SourceSpec($"source-{n:000}", site.Url($"/list/{n}").AbsoluteUri, Interval: Interval.ToString("c")))]);
            var rig = new Rig(site, file, connectionString);
            rig.ServePages(ItemsPerPage);
            return rig;
        }

        /// <summary>Every source's page, with <paramref name="items"/> items each (the newest numbered highest).</summary>
        public void ServePages(int items)
        {
            for (var n = 1; n <= SourceCount; n++) _site.Serve($"/list/{n}", FaultSite.Html(FaultSite.Listing(items, first: n * 100)));
        }

        /// <summary>Starts an instance, named in its User-Agent, and waits until it listens.</summary>
        public Task<ServeProcess> ServeAsync(string name) => ServeProcess.StartAsync(_file.Path, _data,
        [
            "--Storage:Provider=Postgres",
            $"--Storage:ConnectionString={_connectionString}",
            "--Publishing:PublicBaseUrl=https://feeds.example/",
            // The other instance's runs reach the caches and status documents within this (no notification between them here).
            "--Publishing:StoreVersionPollInterval=00:00:00.2",
            "--Publishing:RateLimit:PermitLimit=1000000",
            "--Ingestion:MinInterval=00:00:01",
            $"--Ingestion:LeaseDuration={LeaseDuration:c}",
            $"--Ingestion:UserAgent=CoopFeedsTest/{name}",
            "--Ingestion:PerHostDelay=00:00:00",
            "--Ingestion:CircuitMinimumThroughput=10000",
            "--Ingestion:RequestTimeout=00:00:05",
            "--Ingestion:MaxRetries=0",
        ], waitForAddress: true);

        public IReadOnlyList<Fetch> Fetches() =>
        [
            .. _site.Requests.Where(r => r.Path.StartsWith("/list/", StringComparison.Ordinal))
                .Select(r => new Fetch(r.Path, r.UserAgent.Split("CoopFeedsTest/")[^1].Split(' ')[0], r.At)),
        ];

        public async Task<int> StoredSourcesAsync() => (int)(await QueryAsync("SELECT count(*) FROM source_state", r => r.GetInt64(0))).Single();

        /// <summary>Unexpired leases held by the instance with process id <paramref name="pid"/> (holders are host:pid:random).</summary>
        public async Task<int> LeasesHeldAsync(int pid) => (int)(await QueryAsync(
            $"SELECT count(*) FROM source_leases WHERE holder LIKE '%:{pid}:%' AND expires_at > {DateTimeOffset.UtcNow.UtcTicks}", r => r.GetInt64(0))).Single();

        public Task<List<(string Source, string Key, string Id)>> ItemsAsync() =>
            QueryAsync("SELECT source_id, identity_key, item_id FROM items", r => (r.GetString(0), r.GetString(1), r.GetString(2)));

        public async ValueTask DisposeAsync()
        {
            await _site.DisposeAsync();
            await _file.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await PostgresServer.DropDatabaseAsync(_connectionString);
            try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
        }

        private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<T>();
            while (await reader.ReadAsync()) rows.Add(read(reader));
            return rows;
        }
    }
}
