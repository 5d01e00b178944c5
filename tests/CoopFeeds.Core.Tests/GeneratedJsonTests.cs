using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
using CoopFeeds.Core.Tests.Suggestion;

namespace CoopFeeds.Core.Tests;

/// <summary>
/// The source-generated contracts (<see cref="CoreJsonContext"/>) write and read what reflection did with the same options:
/// a property missed, renamed or moved, a null kept or dropped differently, a default lost on reading, fails here.
/// </summary>
public sealed class GeneratedJsonTests
{
    private static readonly string SamplePath = Path.Combine(RealParsers.RepoRoot, "samples", "sources.json");

    /// <summary>What the loader's options were, with reflection instead of the generated contracts.</summary>
    private static readonly JsonSerializerOptions LoaderByReflection = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSerializerOptions DefaultByReflection = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [Fact]
    public void ItemsAreWrittenAsReflectionWroteThem()
    {
        Item[] items =
        [
            new()
            {
                Id = "urn:sha256:1", IdentityKey = "k1", SourceId = "news", Title = "Réunion « générale » & <vote>",
                Link = new Uri("https://bücher.example/news/1?a=1&b=2"), Published = new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(1)),
                Summary = "It’s \"quoted\"\nand on two lines", Category = "Events",
            },
            new() { Id = "urn:sha256:2", IdentityKey = "k2", SourceId = "news", Title = "No link, no date" },
        ];

        var byReflection = JsonSerializer.Serialize(items.Select(ItemJson.From).ToList(), WithReflection(ItemJson.Options));

        Assert.Equal(byReflection, ItemJson.Serialize(items));
        Assert.Contains("\"summary\": null", ItemJson.Serialize(items), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASuggestionIsWrittenAsReflectionWroteIt()
    {
        var page = Suggest.WithChrome(Suggest.Articles(4)).Replace("<head>", """
            <head><link rel="alternate" type="application/rss+xml" title="News" href="/news/feed/">
            """, StringComparison.Ordinal);
        var result = await Suggest.PageAsync(page);
        var byReflection = new JsonSerializerOptions(SuggestionJson.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                Modifiers =
                {
                    info =>
                    {
                        if (info.Type != typeof(SelectorSet)) return;
                        foreach (var property in info.Properties) property.ShouldSerialize = (_, value) => value is not null;
                    },
                },
            },
        };

        Assert.NotEmpty(result.Candidates);
        Assert.Equal(JsonSerializer.Serialize(result, byReflection), SuggestionJson.Serialize(result));
    }

    [Fact]
    public void TheSampleSourcesReadAsReflectionReadThemAndKeepTheirFingerprints()
    {
        var loaded = SourceCatalogLoader.Load(SamplePath);
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Problems));
        using var file = JsonDocument.Parse(File.ReadAllText(SamplePath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var sources = file.RootElement.GetProperty("Sources").EnumerateArray().Select(e => e.Deserialize<SourceDefinition>(LoaderByReflection)!).ToList();
        var sections = file.RootElement.GetProperty("Sections").EnumerateArray().Select(e => e.Deserialize<SectionDefinition>(LoaderByReflection)!).ToList();

        Assert.Equal(sources.Count, loaded.Catalog!.Sources.Count);
        Assert.Equal(sources.Select(AsText), loaded.Catalog.Sources.Select(s => AsText(s.Definition)));
        Assert.Equal(sections.Select(s => JsonSerializer.Serialize(s, DefaultByReflection)), loaded.Catalog.Sections.Select(s => JsonSerializer.Serialize(s, DefaultByReflection)));
        Assert.Equal(sources.Select(FingerprintByReflection), loaded.Catalog.Sources.Select(s => SourceFingerprint.Of(s.Definition)));
    }

    [Fact]
    public void AnEntryThatOmitsTheOptionalFieldsKeepsTheirDefaults()
    {
        var definition = LoadedSource.From("""{ "id": "short", "section": "news", "url": "https://coop.example.org/", "selectors": { "item": "li", "title": "a" } }""").Definition;

        Assert.Equal(TimeSpan.FromHours(1), definition.Interval);
        Assert.Equal([SourceDefinition.DefaultCulture], definition.Cultures);
        Assert.Empty(definition.DateFormats);
        Assert.Equal(1, definition.MaxPages);
        Assert.True(definition.RespectRobots);
        Assert.True(definition.Enabled);
        Assert.False(definition.AllowPrivateNetworks);
    }

    [Theory]
    [InlineData("\"Interval\": \"soon\"", "Interval: expected a duration such as \"01:00:00\"")]
    [InlineData("\"MaxPages\": \"two\"", "MaxPages: The JSON value could not be converted to System.Int32.")]
    [InlineData("\"RespectRobots\": 1", "RespectRobots: The JSON value could not be converted to System.Boolean.")]
    public void AValueThatDoesNotConvertIsNamedWithTheMembersTypeAsReflectionNamedIt(string member, string problem)
    {
        var loaded = SourceCatalogLoader.Parse($$"""
            { "Sections": [ { "Slug": "news", "Title": "News" } ],
              "Sources": [ { "Id": "s", "Section": "news", "Url": "https://coop.example.org/", "Selectors": { "Item": "li", "Title": "a" }, {{member}} } ] }
            """, Path.Combine(Path.GetTempPath(), "sources.json"));

        Assert.Contains(loaded.Problems, p => p.EndsWith(": " + problem, StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFieldCountsInTheFingerprintAsReflectionWroteIt()
    {
        var definition = new SourceDefinition
        {
            Id = "réunions", Section = "news", Url = "https://coop.example.org/agenda?x=<1>&y='2'", BaseUrl = "https://coop.example.org/",
            Interval = TimeSpan.FromMinutes(90), Selectors = new SelectorSet { Item = "li.event", Title = "h2 > a", Link = "a@href", NextPage = "a[rel=next]@href" },
            DateFormats = ["d MMMM yyyy"], Cultures = ["fr-FR", "en-GB"], MaxPages = 3, TimeZone = "Europe/Paris",
            RespectRobots = false, AllowPrivateNetworks = true, Enabled = false,
        };

        Assert.Equal(FingerprintByReflection(definition), SourceFingerprint.Of(definition));
        Assert.Equal(FingerprintByReflection(definition with { AllowPrivateNetworks = false }), SourceFingerprint.Of(definition with { AllowPrivateNetworks = false }));
    }

    private static JsonSerializerOptions WithReflection(JsonSerializerOptions options) =>
        new(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static string AsText(SourceDefinition definition) => JsonSerializer.Serialize(definition, DefaultByReflection);

    /// <summary>What <see cref="SourceFingerprint"/> computed before: SHA-256 of the default options' JSON, by reflection.</summary>
    private static string FingerprintByReflection(SourceDefinition definition) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AsText(definition))));
}
