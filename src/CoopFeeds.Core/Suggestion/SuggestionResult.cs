using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AngleSharp.Dom;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Suggestion;

/// <summary>A page the engine reads: what was read (an http(s) URL or a saved file's <c>file:</c> URI) and its parsed DOM.</summary>
/// <param name="Location">Where the bytes came from; for the first page, what a source's <c>Url</c> would say.</param>
/// <param name="Document">Parsed by <see cref="ListingDocument"/> with the address its links resolve against.</param>
public sealed record SuggestionPage(Uri Location, IDocument Document);

/// <summary>What the engine is given: the page, and the page its proposed NextPage leads to when the caller fetched it.</summary>
public sealed record SuggestionInput
{
    public required SuggestionPage Page { get; init; }

    /// <summary>For a saved page: the public address its links resolve against (a source's <c>BaseUrl</c>).</summary>
    public Uri? BaseUrl { get; init; }

    /// <summary>When the page was fetched: relative and year-less dates count from it.</summary>
    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>The page <see cref="SuggestionResult.NextPageToVerify"/> named, fetched and parsed; null when it was not.</summary>
    public SuggestionPage? SecondPage { get; init; }

    /// <summary>How many candidates to return at most.</summary>
    public int Top { get; init; } = 3;
}

/// <summary>
/// What <c>suggest</c> prints with <c>--json</c> (and the studio serves): the page, the feeds it advertises, why nothing
/// (or not everything) was proposed, and the ranked candidates. A plain record: <see cref="SuggestionJson"/> writes it.
/// </summary>
public sealed record SuggestionResult
{
    [JsonPropertyName("url")]
    public required string Url { get; init; }

    [JsonPropertyName("feeds")]
    public required IReadOnlyList<string> Feeds { get; init; }

    [JsonPropertyName("problems")]
    public required IReadOnlyList<string> Problems { get; init; }

    [JsonPropertyName("candidates")]
    public required IReadOnlyList<SuggestedSource> Candidates { get; init; }

    /// <summary>
    /// The page to fetch to verify the proposed NextPage (as the page step would read it), and run the engine again with as
    /// <see cref="SuggestionInput.SecondPage"/>; null when there is no next page to verify or it was verified already.
    /// </summary>
    [JsonIgnore]
    public PageRequest? NextPageToVerify { get; init; }
}

/// <summary>One ranked proposal: its score and the evidence behind it, the source definition, and the items it gave.</summary>
public sealed record SuggestedSource
{
    [JsonPropertyName("score")]
    public required double Score { get; init; }

    [JsonPropertyName("evidence")]
    public required IReadOnlyList<string> Evidence { get; init; }

    [JsonPropertyName("source")]
    public required ProposedSource Source { get; init; }

    [JsonPropertyName("itemCount")]
    public required int ItemCount { get; init; }

    /// <summary>The first items, exactly as <c>preview --json</c> prints items.</summary>
    [JsonPropertyName("items")]
    public required IReadOnlyList<ItemJson> Items { get; init; }
}

/// <summary>
/// What a maintainer pastes into a source entry next to <c>Id</c>, <c>Section</c> and <c>Url</c>. Keys that do not apply
/// are left out: no selector that was not found, no cultures for machine-readable dates, no MaxPages without a verified NextPage.
/// </summary>
public sealed record ProposedSource
{
    public required SelectorSet Selectors { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? DateFormats { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cultures { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? MaxPages { get; init; }
}

/// <summary>The JSON of a <see cref="SuggestionResult"/>: the shape the selector-suggestion issue fixes.</summary>
public static class SuggestionJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Items keep their null fields, as preview prints them; selectors keep their sources-file names (PascalCase),
        // and one not proposed is left out.
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = CoreJsonContext.Default.WithAddedModifier(info =>
        {
            if (info.Type != typeof(SelectorSet)) return;
            foreach (var property in info.Properties) property.ShouldSerialize = (_, value) => value is not null;
        }),
    };

    public static string Serialize(SuggestionResult result) =>
        JsonSerializer.Serialize(result, CoreJsonContext.TypeInfo<SuggestionResult>(Options));
}
