using System.Globalization;

namespace CoopFeeds.Scale;

/// <summary>
/// The table of one scale run: each document's uncached render on the big store against the small one, with the issue's
/// verdict (at most 2× the small store's + 1 ms), then the first pass and peak memory of each. Reads the run folders
/// bench/scale.sh fills: <c>times.tsv</c> (<see cref="DocumentTimer"/>) and <c>run.env</c> (key=value lines).
/// </summary>
public static class ScaleReport
{
    public static int Run(Arguments args)
    {
        var big = Load(args.Text("big"));
        var small = Load(args.Text("small"));
        var smallTimes = small.Times.ToDictionary(t => t.Label, StringComparer.Ordinal);

        Console.WriteLine($"| document | big store ({Items(big)}): uncached (first / repeated) | small store ({Items(small)}): uncached (first / repeated) | ratio | ≤ 2× + 1 ms |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        var failed = 0;
        foreach (var b in big.Times)
        {
            if (!smallTimes.TryGetValue(b.Label, out var s)) continue;
            var (bu, su) = (DocumentTimes.Median(b.Uncached), DocumentTimes.Median(s.Uncached));
            var ok = bu <= 2 * su + 1;
            if (!ok) failed++;
            var label = b.Path == b.Label && s.Path == s.Label ? $"`{b.Path}`" : $"`{b.Label}` (`{b.Path}` / `{s.Path}`)";
            Console.WriteLine($"| {label} | {Cell(b)} | {Cell(s)} | {bu / su:0.0}× | {(ok ? "yes" : "**no**")} |");
        }
        Console.WriteLine();
        Console.WriteLine("| | big store | small store |");
        Console.WriteLine("|---|---:|---:|");
        Row("sources × items per source, sections", r => $"{r["sources"]} × {r["items"]}, {r["sections"]}");
        Row("items stored / sources healthy", r => $"{Number(r["items_stored"])} / {r["sources_healthy"]} of {r["sources"]}");
        Row("first pass", r => $"{r["pass_seconds"]} s, **{Number(r["items_per_second"])} items/s**");
        Row("VmHWM after the first pass", r => Mb(r["hwm_after_pass_kb"]));
        Row("VmHWM after the documents", r => Mb(r["hwm_after_documents_kb"]));
        Row("VmHWM after the feed load (VmRSS then)", r => r.TryGetValue("hwm_after_load_kb", out var hwm) ? $"{Mb(hwm)} ({Mb(r["rss_after_load_kb"])})" : "not run");
        Row("feed load (wrk, cached feeds)", r => r.TryGetValue("load_rps", out var rps) ? $"{rps} req/s, {r["load_unexpected"]} not 200" : "not run");
        Row("GC", r => r["gc"]);
        Console.WriteLine();
        Console.WriteLine(failed == 0 ? "Every document within 2× + 1 ms of the small store." : $"{failed} document(s) over 2× + 1 ms of the small store.");
        return 0;

        void Row(string name, Func<IReadOnlyDictionary<string, string>, string> cell) =>
            Console.WriteLine($"| {name} | {cell(big.Values)} | {cell(small.Values)} |");
    }

    private sealed record RunFolder(IReadOnlyList<DocumentTimes> Times, IReadOnlyDictionary<string, string> Values);

    private static RunFolder Load(string folder) => new(
        [.. File.ReadAllLines(Path.Combine(folder, "times.tsv")).Where(l => l.Length > 0).Select(DocumentTimes.FromLine)],
        File.ReadAllLines(Path.Combine(folder, "run.env")).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal));

    private static string Items(RunFolder run) => Number(run.Values["items_stored"]) + " items";

    private static string Cell(DocumentTimes t) =>
        $"**{Ms(DocumentTimes.Median(t.Uncached))}** ({Ms(t.First)} / {Ms(DocumentTimes.Median(t.Repeated))})" + (t.Status == 200 ? "" : $" [{t.Status}]");

    private static string Ms(double ms) => ms >= 100 ? $"{ms:0} ms" : ms >= 10 ? $"{ms:0.0} ms" : $"{ms:0.00} ms";

    private static string Number(string value) =>
        double.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n.ToString("#,0", CultureInfo.InvariantCulture) : value;

    private static string Mb(string kb) =>
        long.TryParse(kb, CultureInfo.InvariantCulture, out var k) ? $"{k / 1024.0:0} MB" : kb;
}
