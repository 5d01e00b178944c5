using System.Text;
using BenchmarkDotNet.Attributes;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Scale;

namespace CoopFeeds.Benchmarks;

/// <summary>
/// One page of the scale benchmark's first pass (bench/scale.sh: 200 items, as its listing site serves it), through the
/// stages ingestion runs on it (ListingReader): parse, extract, normalize.
/// </summary>
[MemoryDiagnoser]
public class IngestionBenchmarks
{
    private static readonly DateTimeOffset FetchedAt = new(2026, 6, 2, 0, 0, 0, TimeSpan.Zero);
    private const string ContentType = "text/html; charset=utf-8";

    private byte[] _page = null!;
    private Uri _address = null!;
    private ConfiguredSource _source = null!;
    private IReadOnlyList<RawItem> _items = null!;

    [GlobalSetup]
    public void Setup()
    {
        var shape = new SiteShape { Port = 8199, Addresses = 10, Sources = 1000, ItemsPerSource = 200, Sections = 10 };
        const int source = 123;
        _page = Encoding.UTF8.GetBytes(ListingSite.Listing(shape, source));
        _address = shape.ListingOf(source);
        var catalog = SourceCatalogLoader.Parse(Encoding.UTF8.GetString(ListingSite.SourcesFile(shape)), Path.Combine(Path.GetTempPath(), "sources.json"));
        if (!catalog.IsValid) throw new InvalidOperationException(string.Join("; ", catalog.Problems));
        _source = catalog.Catalog!.Sources[source];
        using var document = ListingDocument.ParseAsync(_page, _address, ContentType, CancellationToken.None).GetAwaiter().GetResult();
        _items = ListingExtractor.Extract(document, _source.Selectors).Items;
    }

    /// <summary>What ingestion does with the page, as ListingReader calls it.</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> ParseExtractNormalize()
    {
        using var document = await ListingDocument.ParseAsync(_page, _address, ContentType, CancellationToken.None);
        var page = ListingExtractor.Extract(document, _source.Selectors);
        return ItemNormalizer.Normalize(_source, page.Items, FetchedAt).Items.Count;
    }

    /// <summary>The parse and extraction alone.</summary>
    [Benchmark]
    public async Task<int> ParseExtract()
    {
        using var document = await ListingDocument.ParseAsync(_page, _address, ContentType, CancellationToken.None);
        return ListingExtractor.Extract(document, _source.Selectors).Items.Count;
    }

    /// <summary>The normalization alone (summaries sanitized), of the page's items extracted once.</summary>
    [Benchmark]
    public int Normalize() => ItemNormalizer.Normalize(_source, _items, FetchedAt).Items.Count;
}
