using System.Diagnostics;
using System.Globalization;

namespace CoopFeeds.Scale;

/// <summary>One document's timings, in milliseconds from sending the request to the last byte of the body.</summary>
public sealed record DocumentTimes
{
    /// <summary>What the row is called in the table: the path, or a name for paths that differ between stores (archive page numbers).</summary>
    public required string Label { get; init; }

    public required string Path { get; init; }
    public required int Status { get; init; }
    public required long Bytes { get; init; }
    public required double First { get; init; }

    /// <summary>Each under a Host not asked before: with Publishing:PublicBaseUrl unset, each Host is its own cached document, so each is rendered.</summary>
    public required IReadOnlyList<double> Uncached { get; init; }

    /// <summary>Each under the Host of the first request, whose document the first request left in the cache (when it is cached).</summary>
    public required IReadOnlyList<double> Repeated { get; init; }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private const char Tab = '\t';

    public string ToLine() => string.Join(Tab, Label, Path, Status, Bytes, Ms(First), Ms(Median(Uncached)), Ms(Uncached.Min()), Ms(Uncached.Max()),
        Ms(Median(Repeated)), Ms(Repeated.Min()), Ms(Repeated.Max()));

    public static DocumentTimes FromLine(string line)
    {
        var f = line.Split(Tab);
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        // The line keeps medians and ranges only: enough for the table.
        return new DocumentTimes
        {
            Label = f[0], Path = f[1], Status = int.Parse(f[2], CultureInfo.InvariantCulture), Bytes = long.Parse(f[3], CultureInfo.InvariantCulture),
            First = D(4), Uncached = [D(6), D(5), D(7)], Repeated = [D(9), D(8), D(10)],
        };
    }

    private static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture);
}

/// <summary>
/// Times each document three ways, one request at a time on one kept-alive connection, no Accept-Encoding (identity bytes):
/// its first request, then <c>--rounds</c> requests each under a new Host (<c>u1.bench.test</c>, …), then as many under the
/// first request's Host.
/// </summary>
public static class DocumentTimer
{
    public static async Task<int> RunAsync(Arguments args)
    {
        var origin = new Uri(args.Text("base"));
        var rounds = args.Number("rounds");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        { Timeout = TimeSpan.FromMinutes(5) };

        // The client's own first request pays for its JIT and connection; not a document's.
        await TimeAsync(client, new Uri(origin, "healthz"), host: null);
        var hosts = 0;
        using var output = File.AppendText(args.Text("out"));
        foreach (var word in args.Words)
        {
            // "label=path" names a row whose path differs between stores; a bare path is its own label.
            var (label, path) = word.Split('=', 2) is [var l, var p] ? (l, p) : (word, word);
            var url = new Uri(origin, path.TrimStart('/'));
            var (status, bytes, first) = await TimeAsync(client, url, host: null);
            var uncached = new List<double>();
            for (var i = 0; i < rounds; i++) uncached.Add((await TimeAsync(client, url, $"u{++hosts}.bench.test")).Ms);
            var repeated = new List<double>();
            for (var i = 0; i < rounds; i++) repeated.Add((await TimeAsync(client, url, host: null)).Ms);
            var times = new DocumentTimes { Label = label, Path = path, Status = status, Bytes = bytes, First = first, Uncached = uncached, Repeated = repeated };
            await output.WriteLineAsync(times.ToLine());
            Console.WriteLine($"{path}: {status}, {bytes} bytes; first {first:0.0} ms, uncached {DocumentTimes.Median(uncached):0.0} ms, repeated {DocumentTimes.Median(repeated):0.0} ms");
        }
        return 0;
    }

    private static async Task<(int Status, long Bytes, double Ms)> TimeAsync(HttpClient client, Uri url, string? host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (host is not null) request.Headers.Host = host;
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return ((int)response.StatusCode, body.LongLength, clock.Elapsed.TotalMilliseconds);
    }
}
