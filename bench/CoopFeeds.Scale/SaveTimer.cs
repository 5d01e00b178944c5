using System.Diagnostics;
using System.Globalization;
using CoopFeeds.Core;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Storage;
using CoopFeeds.Storage.Postgres;
using CoopFeeds.Storage.Sqlite;

namespace CoopFeeds.Scale;

/// <summary>
/// The store's save on its own, through <see cref="IItemStore.SaveAsync"/>: for each of N sources in turn, a first run of
/// M new items, then the same run again unchanged, each timed with a stopwatch. The store grows by N × M items as it goes,
/// so the figures are for a store of up to that size. Prints the median and the quartiles of each kind, of the wall time
/// and of the process's CPU time.
/// </summary>
internal static class SaveTimer
{
    public static async Task<int> RunAsync(Arguments arguments)
    {
        var sources = arguments.Number("sources");
        var items = arguments.Number("items");
        var provider = arguments.Text("provider");
        IItemStore store = provider switch
        {
            "Sqlite" => SqliteItemStore.ForFile(arguments.Text("file")),
            "Postgres" => new PostgresItemStore(arguments.Text("connection-string")),
            _ => throw new ArgumentException("--provider is Sqlite or Postgres"),
        };
        await store.MigrateAsync(CancellationToken.None);

        var at = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var first = new List<double>();
        var again = new List<double>();
        var firstCpu = new List<double>();
        var againCpu = new List<double>();
        for (var s = 0; s < sources; s++)
        {
            var run = new SourceRun($"save-{s}", $"sec-{s % 10}");
            var page = Page(run, items, at);
            var (wall, cpu) = await TimeAsync(store, run, page, at);
            first.Add(wall);
            firstCpu.Add(cpu);
            (wall, cpu) = await TimeAsync(store, run, page, at.AddHours(1));
            again.Add(wall);
            againCpu.Add(cpu);
            at = at.AddMinutes(1);
        }

        // The first few saves pay the JIT and the connection pool's first opens.
        var skip = Math.Min(5, sources / 5);
        Console.WriteLine($"{provider}: {sources} sources × {items} items, first {skip} of each kind not counted");
        Console.WriteLine($"first run ({items} new)     {Summary(first.Skip(skip))}; CPU {Summary(firstCpu.Skip(skip))}");
        Console.WriteLine($"unchanged re-run        {Summary(again.Skip(skip))}; CPU {Summary(againCpu.Skip(skip))}");
        return 0;
    }

    /// <summary>The save's wall time and the process's CPU time during it (user + system: less moved by the neighbours' load), in ms.</summary>
    private static async Task<(double Wall, double Cpu)> TimeAsync(IItemStore store, SourceRun run, IReadOnlyList<Item> page, DateTimeOffset at)
    {
        var outcome = new IngestOutcome
        {
            Fetch = new() { Kind = OutcomeKind.Success, StatusCode = 200 },
            AttemptedAt = at,
            ItemsFound = page.Count,
            FirstPageItemCount = page.Count,
            NextAttemptAt = at.AddHours(1),
        };
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        await store.SaveAsync(run, page, outcome, CancellationToken.None);
        var wall = stopwatch.Elapsed.TotalMilliseconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalMilliseconds);
    }

    // Items shaped like the listing site's: a title, a link, a date, a paragraph of summary, a category.
    private static List<Item> Page(SourceRun run, int count, DateTimeOffset at) =>
    [
        .. Enumerable.Range(0, count).Select(i => new Item
        {
            Id = $"urn:uuid:{run.SourceId}-{i}",
            IdentityKey = $"bench.test/{run.SourceId}/items/{i}",
            SourceId = run.SourceId,
            Title = $"Item {i} of {run.SourceId}: a cooperative's annual report",
            Link = new Uri($"http://bench.test/{run.SourceId}/items/{i}"),
            Published = at.AddHours(-i),
            Summary = $"The summary of item {i}, a sentence or two long, as listing pages show under a title.",
            SummaryHtml = $"<p>The summary of item {i}, a sentence or two long, as listing pages show under a title.</p>",
            Category = $"Category {i % 7}",
        }),
    ];

    private static string Summary(IEnumerable<double> times)
    {
        var sorted = times.Order().ToArray();
        double At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))];
        return string.Create(CultureInfo.InvariantCulture, $"median {At(0.5):F2} ms (quartiles {At(0.25):F2}–{At(0.75):F2}, n={sorted.Length})");
    }
}
