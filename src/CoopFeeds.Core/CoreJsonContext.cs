using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Core;

/// <summary>
/// The JSON contracts of Core's types, written at compile time: the service is published as a Native AOT binary, where
/// reflection-based System.Text.Json throws. No generation options of its own: each caller keeps its own
/// <see cref="JsonSerializerOptions"/> (indentation, encoder…) with this as its resolver, or uses <see cref="Default"/>
/// where it wrote with the default options. Public so the app (the studio, <c>check</c>) serializes the same types with it.
/// </summary>
[JsonSerializable(typeof(ItemJson))]
[JsonSerializable(typeof(List<ItemJson>))]
[JsonSerializable(typeof(SuggestionResult))]
[JsonSerializable(typeof(SourceDefinition))]
[JsonSerializable(typeof(SectionDefinition))]
[JsonSerializable(typeof(string))]
public sealed partial class CoreJsonContext : JsonSerializerContext
{
    /// <summary>The contract of <typeparamref name="T"/> under <paramref name="options"/>, whose resolver must know it.</summary>
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
