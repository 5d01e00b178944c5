using System.Text.Json;
using System.Text.Json.Serialization;
using CoopFeeds.Core;
using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Studio;

/// <summary>
/// The studio API's requests and answers, as source-generated metadata: the native build has no reflection-based JSON.
/// Used through <see cref="StudioJson.Api"/>, whose options add what an attribute cannot say (the encoder, duplicate fields).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(FetchRequest))]
[JsonSerializable(typeof(SuggestRequest))]
[JsonSerializable(typeof(PreviewRequest))]
[JsonSerializable(typeof(SnapshotRequest))]
[JsonSerializable(typeof(SaveSourceRequest))]
[JsonSerializable(typeof(FetchResponse))]
[JsonSerializable(typeof(PreviewResponse))]
[JsonSerializable(typeof(SourcesResponse))]
[JsonSerializable(typeof(SourceResponse))]
[JsonSerializable(typeof(SavedSource))]
[JsonSerializable(typeof(UnsafeSave))]
[JsonSerializable(typeof(ProblemList))]
internal sealed partial class StudioJsonContext : JsonSerializerContext;

/// <summary>
/// Core's shapes the studio writes as the command line prints them: an item as <c>preview --json</c> does, the
/// <c>suggest --json</c> object. Listed here, with Core's options (<see cref="StudioJson.Core"/>), so the studio needs
/// nothing more of Core than the types.
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ItemJson))]
[JsonSerializable(typeof(SuggestionResult))]
internal sealed partial class StudioCoreJsonContext : JsonSerializerContext;
