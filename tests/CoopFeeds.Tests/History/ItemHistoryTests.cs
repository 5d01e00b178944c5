using System.Xml.Linq;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using CoopFeeds.Tests.Cli;

namespace CoopFeeds.Tests.History;

/// <summary>What happens to stored items when the page behind them changes.</summary>
public sealed class ItemHistoryTests
{
    private const string Edited = "Honey and cheese cooperatives created in Cahul district in Moldova, with ILO’s support";
    private const string Vanishing = "The 2019 ITC-ILO Rural Academy includes an elective on cooperatives";

    [Fact]
    public async Task AnEditedItemKeepsItsIdAndAVanishedItemStaysInTheFeed()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();
        await using var host = await ServiceHost.StartAsync(Path.Combine(folder, "sources.json"));
        var before = await RssItemsAsync(host);
        var store = host.Services.GetRequiredService<IItemStore>();
        var stored = await store.GetItemsAsync(new ItemQuery { Sections = ["resources"] }, CancellationToken.None);

        // The CMS edits one title and drops the oldest item from the listing.
        var page = Path.Combine(folder, "pages", "ilo-coop-resources.html");
        var html = File.ReadAllText(page).Replace("Honey and cheese cooperatives", "Honey and cheese co-operatives", StringComparison.Ordinal);
        var start = html.LastIndexOf("<article", html.IndexOf(Vanishing, StringComparison.Ordinal), StringComparison.Ordinal);
        var end = html.IndexOf("</article>", start, StringComparison.Ordinal) + "</article>".Length;
        File.WriteAllText(page, html.Remove(start, end - start));
        var source = host.Services.GetRequiredService<SourceCatalogProvider>().Current.FindSource("ilo-coop-resources")!;
        var report = await host.Services.GetRequiredService<SourceIngester>().IngestAsync(source, leaseHolder: null, CancellationToken.None);
        var after = await RssItemsAsync(host);
        var restored = await store.GetItemsAsync(new ItemQuery { Sections = ["resources"] }, CancellationToken.None);

        Assert.Equal(0, report.Saved.New);
        Assert.Equal(1, report.Saved.Updated);
        Assert.Equal(before.Keys.Order(), after.Keys.Order()); // same ids, none lost, none added
        var editedId = before.Single(p => p.Value == Edited).Key;
        Assert.Equal("Honey and cheese co-operatives created in Cahul district in Moldova, with ILO’s support", after[editedId]);
        Assert.Contains(Vanishing, after.Values);

        var was = stored.Single(i => i.Item.Id == editedId);
        var now = restored.Single(i => i.Item.Id == editedId);
        Assert.Equal(was.FirstSeen, now.FirstSeen);
        Assert.True(now.LastChanged > was.LastChanged);
        var untouched = restored.Where(i => i.Item.Id != editedId).ToList();
        Assert.All(untouched, i => Assert.Equal(stored.Single(s => s.Item.Id == i.Item.Id).LastChanged, i.LastChanged));
    }

    private static async Task<Dictionary<string, string>> RssItemsAsync(ServiceHost host)
    {
        var rss = XDocument.Parse(await host.Client.GetStringAsync("feeds/resources.rss"));
        return rss.Root!.Element("channel")!.Elements("item")
            .ToDictionary(i => i.Element("guid")!.Value, i => i.Element("title")!.Value);
    }
}
