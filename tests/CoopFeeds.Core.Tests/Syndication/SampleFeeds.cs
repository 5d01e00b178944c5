using System.Net;
using CoopFeeds.Core.Syndication;

namespace CoopFeeds.Core.Tests.Syndication;

/// <summary>Feed documents the syndication tests share: a realistic section, its archive, and hostile variants.</summary>
internal static class SampleFeeds
{
    public const string PublicBase = "https://feeds.coopfeeds.example/";

    public static readonly Uri HubUrl = new("https://hub.coopfeeds.example/");

    /// <summary>A fixed instant with a non-UTC offset, so that conversion to UTC is exercised.</summary>
    public static readonly DateTimeOffset Newest = new(2025, 11, 3, 8, 30, 0, TimeSpan.FromHours(1));

    private static readonly string[] Titles =
    [
        "ILO report: cooperatives employ 280 million people worldwide",
        "Credit unions in Kenya expand digital lending",
        "Housing co-ops & tenant unions: lessons from Vienna",
        "Agricultural cooperatives adapt to drought in the Sahel",
        "International Day of Cooperatives 2025 theme announced",
        "Worker-owned bakery opens third shop in Lyon",
        "New guide to cooperative governance published",
        "Energy cooperatives reach one million members in Germany",
        "Fair-trade coffee co-op wins sustainability award",
        "Coopératives d’habitat : « un modèle pour l’Europe »",
    ];

    /// <summary>Index of the entry with neither link nor summary (the case RFC 4287 §4.1.2 makes awkward).</summary>
    public const int BareEntry = 6;

    /// <summary>Index of the entry with a link but no summary at all (a listing that shows only titles).</summary>
    public const int LinkOnlyEntry = 4;

    /// <summary>Index of the entry with a plain-text summary only.</summary>
    public const int TextOnlyEntry = 8;

    public static string EntryId(int index) => $"urn:uuid:6f1c9d2e-4b7a-5c3d-8e9f-{index:000000000000}";

    /// <summary>Ten entries as a section shows them, newest first; the last two share a time (first seen in one pass).</summary>
    public static IReadOnlyList<FeedEntry> Entries()
    {
        var entries = new List<FeedEntry>();
        for (var i = 0; i < Titles.Length; i++)
        {
            var published = Newest.AddDays(-Math.Min(i, 8) * 3).AddHours(-Math.Min(i, 8));
            var link = i switch
            {
                BareEntry => null,
                9 => new Uri("https://coopératives.example/actualités/2025/habitat"),
                _ => new Uri($"https://www.ilo.org/resource/news/2025/{i + 1:00}-item"),
            };
            entries.Add(new FeedEntry
            {
                Id = EntryId(i),
                Title = Titles[i],
                Link = link,
                Published = published,
                Updated = i == 2 ? published.AddHours(5) : published,
                SummaryHtml = i is BareEntry or TextOnlyEntry or LinkOnlyEntry
                    ? null
                    : $"<p>{WebUtility.HtmlEncode(Titles[i])}. <a href=\"{link}\">Read more</a> about <em>cooperatives</em>.</p>",
                SummaryText = i is BareEntry or LinkOnlyEntry ? null : Titles[i] + ". Read more about cooperatives.",
                Categories = (i % 3) switch { 0 => ["Cooperatives", "Employment"], 1 => ["Finance"], _ => [] },
            });
        }

        return entries;
    }

    /// <summary>The subscription document of a section, as served at <c>/feeds/news.{extension}</c>.</summary>
    public static FeedDocument Section(string extension)
    {
        var entries = Entries();
        return new FeedDocument
        {
            Id = FeedIdentity.Of("news"),
            Title = "News on cooperatives",
            Description = "News about cooperatives gathered from the ILO and partner sites",
            Language = "en",
            HtmlUrl = new Uri(PublicBase + "sections/news"),
            SelfUrl = new Uri(PublicBase + "feeds/news." + extension),
            Updated = entries.Max(e => e.Updated),
            Author = "CoopFeeds",
            Ttl = TimeSpan.FromMinutes(60),
            Entries = entries,
        };
    }

    /// <summary>The subscription document advertising a WebSub hub and its newest archive.</summary>
    public static FeedDocument SectionWithHub(string extension) => Section(extension) with
    {
        HubUrl = HubUrl,
        PrevArchiveUrl = new Uri(PublicBase + $"feeds/news/archive/2.{extension}"),
    };

    /// <summary>An RFC 5005 archive document: the older half of the entries, pointing at the subscription document.</summary>
    public static FeedDocument Archive(string extension)
    {
        var entries = Entries().Skip(5).ToList();
        return Section(extension) with
        {
            SelfUrl = new Uri(PublicBase + $"feeds/news/archive/2.{extension}"),
            IsArchive = true,
            CurrentUrl = new Uri(PublicBase + $"feeds/news.{extension}"),
            PrevArchiveUrl = new Uri(PublicBase + $"feeds/news/archive/1.{extension}"),
            NextArchiveUrl = new Uri(PublicBase + $"feeds/news/archive/3.{extension}"),
            Updated = entries.Max(e => e.Updated),
            Ttl = TimeSpan.FromDays(1),
            Entries = entries,
        };
    }

    /// <summary>Strings that break naive writers: markup, entities, CDATA ends, forbidden characters, a lone surrogate.</summary>
    public static readonly string[] HostileStrings =
    [
        "Tom &amp; Jerry <b>x</b>",
        "ends ]]> here ]]]]><![CDATA[ and <![CDATA[ starts",
        "control \u0001\u0002\u0008\u000B\u000C\u001F chars",
        "nul \u0000 char",
        "non-chars \uFFFE and \uFFFF",
        "lone high \uD800 surrogate",
        "lone low \uDC00 surrogate",
        "reversed pair \uDC00\uD800",
        "emoji 🧑‍🌾 kept",
        "quotes \" ' and <script>alert(1)</script>",
        "tab\tnewline\ncarriage\rreturn\r\n",
        "&#x1; &nbsp; &unknown; entity look-alikes",
        new string('x', 200_000) + "\u0001" + new string('é', 100_000),
    ];

    /// <summary>A document whose every string field is one hostile string, entries carrying the others.</summary>
    public static FeedDocument Hostile(string extension, string hostile)
    {
        var feed = Section(extension);
        return feed with
        {
            Title = "T " + hostile,
            Description = "D " + hostile,
            Author = "A " + hostile,
            Entries = feed.Entries.Select((e, i) => e with
            {
                Title = e.Title + " " + hostile,
                SummaryHtml = i is BareEntry or LinkOnlyEntry ? null : "<p>" + hostile + "</p>",
                SummaryText = i is BareEntry or LinkOnlyEntry ? null : hostile,
                Categories = [hostile, "ok"],
            }).ToList(),
        };
    }
}
