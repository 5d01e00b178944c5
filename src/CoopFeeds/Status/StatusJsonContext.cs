using System.Text.Json;
using System.Text.Json.Serialization;
using CoopFeeds.Storage;

namespace CoopFeeds.Status;

/// <summary>
/// The contracts of <c>/api/sources</c> and <c>/api/sources/{id}</c>, written at compile time: the Native AOT binary's HTTP
/// JSON options have no reflection to fall back on. Web defaults, as those options have; <see cref="StatusRegistration"/>
/// puts this in their resolver chain, and the options' own settings still apply.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<SourceStatus>))]
[JsonSerializable(typeof(SourceStatusDetail))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;

/// <summary>What <c>/api/sources/{id}</c> writes: the source, then its newest state changes.</summary>
public sealed record SourceStatusDetail
{
    public required SourceStatus Source { get; init; }
    public required IReadOnlyList<SourceStateChange> Changes { get; init; }
}
