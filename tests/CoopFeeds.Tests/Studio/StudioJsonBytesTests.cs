using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CoopFeeds.Core;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;
using CoopFeeds.Studio;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// The studio's source-generated JSON against reflection with the options it used before the native build: the same
/// bytes out, and the same errors (which the API turns into its reasons) for a body it refuses.
/// </summary>
public sealed class StudioJsonBytesTests
{
    // What the studio serialized with before: StudioJson's options, ItemJson.Options and SuggestionJson.Options.
    private static readonly JsonSerializerOptions ReflectedApi = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSerializerOptions ReflectedItem = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSerializerOptions ReflectedSuggestion = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
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

    private static readonly ItemJson[] Items =
    [
        new("coop-news/1", "Assemblée générale: l’ordre du jour <b>&</b> \"quotes\"", "https://xn--caf-dma.example/n/1", "2026-03-01T09:30:00+01:00", "Un résumé\nsur deux lignes", "Réunions"),
        new("coop-news/2", "Sans lien ni date 😀", null, null, null, null),
    ];

    [Fact]
    public void APreviewResponseIsWrittenAsBefore()
    {
        var counts = new Dictionary<string, FieldCount> { ["Item"] = new(2), ["Title"] = new(2), ["Date"] = new(1, 1), ["Link"] = new(1) };
        string[] warnings = ["1 item has date text that was not read: «hier»"];

        var generated = new PreviewResponse(ItemsAs(item => JsonSerializer.SerializeToNode(item, StudioJson.Item)), counts, warnings);
        var reflected = new PreviewResponse(ItemsAs(item => JsonSerializer.SerializeToNode(item, ReflectedItem)), counts, warnings);

        AssertSameBytes(generated, StudioJson.Api.PreviewResponse, reflected);
        Assert.Contains("\"link\":null", JsonSerializer.Serialize(generated, StudioJson.Api.PreviewResponse), StringComparison.Ordinal);
    }

    [Fact]
    public void FetchSourcesAndSaveAnswersAreWrittenAsBefore()
    {
        var entry = JsonNode.Parse("""{"Id": "coop-news", "Selectors": {"Item": "li", "Title": "a"}, "Cultures": ["fr-FR"], "MaxPages": 2, "Note": null}""")!.AsObject();

        AssertSameBytes(new FetchResponse("f1a2", 200, "https://example.org/actualités?token=…", "utf-8", 12_345, 87), StudioJson.Api.FetchResponse);
        AssertSameBytes(new FetchResponse("f1a3", null, "https://example.org/", "windows-1252", 0, 0), StudioJson.Api.FetchResponse);
        AssertSameBytes(new SourcesResponse([new("coop-news", "news", "https://example.org/n")], [new("news", "Nouvelles & avis")]), StudioJson.Api.SourcesResponse);
        AssertSameBytes(new SourceResponse("coop-news", "news", "https://example.org/n", entry), StudioJson.Api.SourceResponse);
        AssertSameBytes(new SavedSource("coop-news", "news", "https://example.org/n", entry, ["pages/coop-news.html", "pages/coop-news.expected.json"], []), StudioJson.Api.SavedSource);
        AssertSameBytes(new SavedSource("coop-news", "news", "https://example.org/n", entry, [], ["the source is saved, but its fixture was not written (disk full)"]), StudioJson.Api.SavedSource);
        AssertSameBytes(new UnsafeSave(["the file has a comment inside the sources array"], "{\n  \"Id\": \"coop-news\"\n}"), StudioJson.Api.UnsafeSave);
        AssertSameBytes(new ProblemList(["unknown field at $.follow: the request has no such field", "Selectors.Item: ‘li >’ is not a valid selector"]), StudioJson.Api.ProblemList);
    }

    [Fact]
    public void ASuggestionIsWrittenAsSuggestJsonPrintsIt()
    {
        var suggestion = new SuggestionResult
        {
            Url = "https://example.org/actualités",
            Feeds = ["https://example.org/feed.xml"],
            Problems = ["the page advertises a feed"],
            Candidates =
            [
                new SuggestedSource
                {
                    Score = 0.875,
                    Evidence = ["12 items", "dates in 12 of 12"],
                    Source = new ProposedSource
                    {
                        Selectors = new SelectorSet { Item = "ul.news > li", Title = "h3 a", Link = "h3 a@href", Date = "time@datetime" },
                        Cultures = ["fr-FR"],
                        MaxPages = 3,
                    },
                    ItemCount = 12,
                    Items = Items,
                },
                new SuggestedSource
                {
                    Score = 0.5,
                    Evidence = [],
                    Source = new ProposedSource { Selectors = new SelectorSet { Item = "article", Title = "h2" }, DateFormats = ["dd/MM/yyyy"] },
                    ItemCount = 0,
                    Items = [],
                },
            ],
        };

        var generated = JsonSerializer.Serialize(suggestion, StudioJson.Suggestion);

        Assert.Equal(JsonSerializer.Serialize(suggestion, ReflectedSuggestion), generated);
        Assert.DoesNotContain("\"Summary\"", generated, StringComparison.Ordinal);
        Assert.Contains("\"summary\": null", generated, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"url": "http://127.0.0.1/", "follow": true}""")]
    [InlineData("""{"url": 5}""")]
    [InlineData("""{"url": "http://a/", "Url": "http://b/"}""")]
    [InlineData("""{"url": """)]
    [InlineData("""{}""")]
    public void ABadFetchRequestFailsAsBefore(string body) =>
        AssertSameRefusal(body, StudioJson.Api.FetchRequest);

    [Theory]
    [InlineData("""{"fetchId": "x"}""")]
    [InlineData("""{"fetchId": "x", "fetchId": "y", "source": {}}""")]
    [InlineData("""{"fetchId": "x", "source": {"Selectors": {"Item": "li"}, "Selectors": {"Item": "p"}}}""")]
    [InlineData("""{"fetchId": "x", "source": {"Selectors": {"Item": "li"}, "selectors": {"Item": "p"}}}""")]
    [InlineData("""{"fetchId": "x", "source": [], "top": 1}""")]
    public void ABadPreviewRequestFailsAsBefore(string body) =>
        AssertSameRefusal(body, StudioJson.Api.PreviewRequest);

    [Theory]
    [InlineData("""{"id": "a", "section": "s", "url": "http://a/", "source": {}, "replace": "yes"}""")]
    [InlineData("""{"id": "a", "section": "s", "url": "http://a/"}""")]
    [InlineData("""{"id": "a", "section": "s", "url": "http://a/", "source": {}, "overwrite": true}""")]
    public void ABadSaveRequestFailsAsBefore(string body) =>
        AssertSameRefusal(body, StudioJson.Api.SaveSourceRequest);

    [Fact]
    public void AGoodSaveRequestReadsAsBefore()
    {
        const string Body = """{"id": "coop-news", "section": "news", "sectionTitle": "Nouvelles", "url": "https://example.org/n", "source": {"Selectors": {"Item": "li"}, "MaxPages": 2}, "replace": true, "fetchId": "f1"}""";

        var generated = JsonSerializer.Deserialize(Body, StudioJson.Api.SaveSourceRequest)!;
        var reflected = JsonSerializer.Deserialize<SaveSourceRequest>(Body, ReflectedApi)!;

        Assert.Equal(JsonSerializer.Serialize(reflected, ReflectedApi), JsonSerializer.Serialize(generated, ReflectedApi));
        Assert.True(generated.Replace);
        Assert.Equal("Nouvelles", generated.SectionTitle);
    }

    private static JsonArray ItemsAs(Func<ItemJson, JsonNode?> node) => [.. Items.Select(node)];

    private static void AssertSameBytes<T>(T value, JsonTypeInfo<T> generated, T? reflected = default) =>
        Assert.Equal(JsonSerializer.Serialize(reflected ?? value, ReflectedApi), JsonSerializer.Serialize(value, generated));

    /// <summary>
    /// Fails the same way, so the API gives the same reason: the messages may differ in the .NET type they name (the
    /// reason leaves those out), not in what went wrong or where.
    /// </summary>
    private static void AssertSameRefusal<T>(string body, JsonTypeInfo<T> generated)
    {
        var expected = Record.Exception(() => JsonSerializer.Deserialize<T>(body, ReflectedApi));
        var actual = Record.Exception(() => JsonSerializer.Deserialize(body, generated));

        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.GetType(), actual.GetType());
        if (expected is JsonException reflected) Assert.Equal(StudioJson.Reason(reflected), StudioJson.Reason((JsonException)actual));
        else Assert.Equal(expected.Message, actual.Message);
    }
}
