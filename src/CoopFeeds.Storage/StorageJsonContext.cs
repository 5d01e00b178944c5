using System.Text.Json.Serialization;

namespace CoopFeeds.Storage;

/// <summary>
/// The JSON the stores keep in columns (<see cref="SourceState.RecentFirstPageCounts"/>), written at compile time for the
/// Native AOT binary; default options, as the columns have always been written.
/// </summary>
[JsonSerializable(typeof(int[]))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
