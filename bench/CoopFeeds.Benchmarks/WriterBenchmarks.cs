using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Benchmarks;

/// <summary>Rendering one section feed of 50 items, as the service does once per change: RSS 2.0, Atom 1.0 and JSON Feed 1.1.</summary>
[MemoryDiagnoser]
public class WriterBenchmarks
{
    private readonly Rss20Writer _rss = new();
    private readonly Atom10Writer _atom = new();
    private readonly JsonFeedWriter _json = new();
    private FeedDocument _document = null!;

    [GlobalSetup]
    public void Setup() => _document = SampleDocument(50);

    [Benchmark(Baseline = true)]
    public byte[] Rss20() => _rss.Write(_document);

    [Benchmark]
    public byte[] Atom10() => _atom.Write(_document);

    [Benchmark]
    public byte[] JsonFeed11() => _json.Write(_document);

    /// <summary>Items shaped like the samples': a title, a link, a date, a category and a paragraph of sanitized HTML.</summary>
    public static FeedDocument SampleDocument(int items)
    {
        var start = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        return new FeedDocument
        {
            Id = FeedIdentity.Of("news"),
            Title = "News on cooperatives",
            Description = "Stories about cooperatives from the ILO newsroom: news, videos, blog posts and features.",
            Language = "en",
            HtmlUrl = new Uri("https://feeds.example.org/sections/news"),
            SelfUrl = new Uri("https://feeds.example.org/feeds/news.rss"),
            Updated = start,
            Author = "CoopFeeds",
            Ttl = TimeSpan.FromHours(1),
            Entries = Enumerable.Range(0, items).Select(i => new FeedEntry
            {
                Id = $"urn:uuid:{new Guid(i, 0, 0, new byte[8]):D}",
                Title = $"Cooperatives & the social and solidarity economy: story {i} — “quoted” <tags> stay text",
                Link = new Uri($"https://www.ilo.org/global/about-the-ilo/newsroom/news/WCMS_{840000 + i}/lang--en/index.htm"),
                Published = start.AddDays(-i),
                Updated = start.AddDays(-i),
                SummaryHtml = $"<p>A week-long training workshop focused on <a href=\"https://www.ilo.org/x/{i}\">practical occupational safety</a> " +
                              "and health training for cooperatives in agriculture, a tool for partners providing advisory services.</p>",
                SummaryText = "A week-long training workshop focused on practical occupational safety and health training for cooperatives in agriculture, " +
                              "a tool for partners providing advisory services.",
                Categories = ["News"],
            }).ToList(),
        };
    }

    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(WriterBenchmarks).Assembly).Run(args);
}
