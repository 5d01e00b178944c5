using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Tests;

/// <summary>Each bundled sample page, read through the real pipeline, gives exactly its seed's items.</summary>
public sealed class SampleExtractionTests
{
    public static TheoryData<string> SourceIds => new(SeedFile.SourceIds.Values);

    internal static ListingReader CreateReader(TimeProvider? clock = null) => new(
        new ListingFetcher(new HttpClient(), Options.Create(new FetchOptions()), NullLogger<ListingFetcher>.Instance),
        Options.Create(new IngestionOptions()),
        clock ?? TimeProvider.System);

    private static async Task<ListingRead> ReadSampleAsync(string sourceId)
    {
        var catalog = SourceCatalogLoader.Load(RepoPaths.SampleSources);
        Assert.Empty(catalog.Problems);
        var source = catalog.Catalog!.FindSource(sourceId)!;
        return await CreateReader().ReadAsync(source, ConditionalValidators.None, knownKeys: null, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(SourceIds))]
    public async Task SamplePageYieldsEverySeedItemInOrder(string sourceId)
    {
        var seed = SeedFile.ForSource(sourceId);
        var read = await ReadSampleAsync(sourceId);

        Assert.Equal(10, seed.Count);
        Assert.Equal(seed.Count, read.Items.Count);
        for (var i = 0; i < seed.Count; i++)
        {
            var want = seed[i];
            var got = read.Items[i];
            Assert.Equal(SeedFile.Collapse(want.Title), SeedFile.Collapse(got.Title));
            Assert.Equal(want.Date, DateOnly.FromDateTime(got.Published!.Value.DateTime));
            Assert.Equal(want.Summary is null ? null : SeedFile.Collapse(want.Summary), got.Summary is null ? null : SeedFile.Collapse(got.Summary));
            Assert.Equal(want.Label, got.Category);
            Assert.NotNull(got.Link);
            Assert.Equal("https", got.Link!.Scheme);
            Assert.Equal("www.ilo.org", got.Link.Host);
        }
    }

    [Theory]
    [MemberData(nameof(SourceIds))]
    public async Task SampleItemsHaveUniqueStableUrnIds(string sourceId)
    {
        var first = await ReadSampleAsync(sourceId);
        var second = await ReadSampleAsync(sourceId);

        Assert.All(first.Items, item => Assert.Matches("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", item.Id));
        Assert.Equal(first.Items.Count, first.Items.Select(i => i.Id).Distinct().Count());
        Assert.Equal(first.Items.Select(i => i.Id), second.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task AnItemListedOnTwoPagesHasOneIdOnBoth()
    {
        var resources = await ReadSampleAsync("ilo-sse-resources");
        var news = await ReadSampleAsync("ilo-newsroom-coop");
        const string title = "ILO and cooperatives raise awareness, promote labour rights on farms in Jordan";

        var a = Assert.Single(resources.Items, i => i.Title == title);
        var b = Assert.Single(news.Items, i => i.Title == title);
        Assert.Equal(a.Link, b.Link);
        Assert.Equal(a.Id, b.Id);
    }

    [Fact]
    public async Task AnImageCreditIsNotACategory()
    {
        var news = await ReadSampleAsync("ilo-newsroom-coop");

        var item = Assert.Single(news.Items, i => i.Title == "How social cooperatives help informal workers");
        Assert.Equal("Blog", item.Category);
        Assert.DoesNotContain(news.Items, i => i.Title.Contains("newsroom@ilo.org", StringComparison.Ordinal));
    }
}
