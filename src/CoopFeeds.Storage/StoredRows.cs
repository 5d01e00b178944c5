using System.Data.Common;
using System.Text.Json;
using CoopFeeds.Core;
using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Storage;

/// <summary>
/// How records become rows and rows become records, the same for every store: the column lists, the parameters written
/// and the readers, in one column order each. Instants are UTC ticks (a 64-bit integer on both engines), so SQL orders
/// and compares them correctly; a published date keeps the page's offset apart (minutes) so it round-trips exactly.
/// Store-stamped instants (first seen, attempts) are read back in UTC.
/// </summary>
internal static class StoredRows
{
    public const string ItemColumns = """
        i.seq, i.source_id, i.identity_key, i.item_id, i.section, i.title, i.link, i.published, i.published_offset_minutes,
        i.summary, i.summary_html, i.category, i.first_seen, i.last_changed
        """;

    public const string SourceStateColumns = """
        s.source_id, s.section, s.health, s.last_attempt_at, s.last_success_at, s.last_outcome, s.last_http_status, s.last_error,
        s.consecutive_failures, s.items_found, s.items_new, s.items_updated, s.etag, s.last_modified, s.next_attempt_at,
        s.recent_first_page_counts, s.definition_fingerprint, s.stored_item_count
        """;

    public const string SelectSourceState = $"""
        SELECT {SourceStateColumns}
        FROM source_state AS s
        WHERE s.source_id = @source_id;
        """;

    public const string SourceStateChangeColumns = "seq, source_id, section, changed_at, from_health, to_health, outcome, http_status, detail";

    public static Task<SourceState?> ReadSourceStateAsync(DbConnection connection, DbTransaction? transaction, string sourceId,
        CancellationToken cancellationToken) =>
        connection.ReadFirstAsync(transaction, SelectSourceState, [("@source_id", sourceId)], ReadSourceState, cancellationToken);

    public static (string Name, object? Value)[] ItemParameters(Item item, SourceRun source, DateTimeOffset attemptedAt) =>
    [
        ("@source_id", source.SourceId),
        ("@section", source.Section),
        ("@attempted_at", attemptedAt.UtcTicks),
        .. ItemValues(item, ""),
    ];

    /// <summary>The columns an item fills itself, in the order of <see cref="ItemValues"/>.</summary>
    public static readonly string[] ItemValueColumns =
        ["identity_key", "item_id", "title", "link", "published", "published_offset_minutes", "summary", "summary_html", "category"];

    /// <summary>
    /// The values of <see cref="ItemValueColumns"/>, each named <c>@column</c> + <paramref name="suffix"/> (a row's number
    /// in a statement of many rows, or nothing).
    /// </summary>
    public static (string Name, object? Value)[] ItemValues(Item item, string suffix) =>
    [
        ("@identity_key" + suffix, item.IdentityKey),
        ("@item_id" + suffix, item.Id),
        ("@title" + suffix, item.Title),
        // OriginalString: the link reads back as the very Uri it was.
        ("@link" + suffix, item.Link?.OriginalString),
        ("@published" + suffix, item.Published?.UtcTicks),
        ("@published_offset_minutes" + suffix, item.Published is { } published ? (int)published.Offset.TotalMinutes : null),
        ("@summary" + suffix, item.Summary),
        ("@summary_html" + suffix, item.SummaryHtml),
        ("@category" + suffix, item.Category),
    ];

    /// <summary>Reads a row selected with <see cref="ItemColumns"/>, in that column order.</summary>
    public static StoredItem ReadItem(DbDataReader reader)
    {
        DateTimeOffset? published = reader.IsDBNull(7)
            ? null
            : new DateTimeOffset(reader.GetInt64(7), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(reader.GetInt32(8)));
        return new StoredItem
        {
            Sequence = reader.GetInt64(0),
            Section = reader.GetString(4),
            Item = new Item
            {
                SourceId = reader.GetString(1),
                IdentityKey = reader.GetString(2),
                Id = reader.GetString(3),
                Title = reader.GetString(5),
                Link = reader.IsDBNull(6) ? null : new Uri(reader.GetString(6), UriKind.Absolute),
                Published = published,
                Summary = ReadString(reader, 9),
                SummaryHtml = ReadString(reader, 10),
                Category = ReadString(reader, 11),
            },
            FirstSeen = ReadInstant(reader, 12)!.Value,
            LastChanged = ReadInstant(reader, 13)!.Value,
        };
    }

    public static (string Name, object? Value)[] SourceStateParameters(SourceState state) =>
    [
        ("@source_id", state.SourceId),
        ("@section", state.Section),
        ("@health", state.Health.ToString()),
        ("@last_attempt_at", state.LastRun.AttemptedAt.UtcTicks),
        ("@last_success_at", state.LastSuccessAt?.UtcTicks),
        ("@last_outcome", state.LastRun.Kind.ToString()),
        ("@last_http_status", state.LastRun.Fetch.StatusCode),
        ("@last_error", state.LastRun.Error),
        ("@consecutive_failures", state.ConsecutiveFailures),
        ("@items_found", state.LastRun.ItemsFound),
        ("@items_new", state.ItemsNew),
        ("@items_updated", state.ItemsUpdated),
        ("@etag", state.Validators.ETag),
        ("@last_modified", state.Validators.LastModified),
        ("@next_attempt_at", state.LastRun.NextAttemptAt?.UtcTicks),
        ("@recent_first_page_counts", JsonSerializer.Serialize(state.RecentFirstPageCounts.ToArray(), StorageJsonContext.Default.Int32Array)),
        ("@definition_fingerprint", state.DefinitionFingerprint),
    ];

    /// <summary>Reads a row selected with <see cref="SourceStateColumns"/>, in that column order.</summary>
    public static SourceState ReadSourceState(DbDataReader reader) => new()
    {
        SourceId = reader.GetString(0),
        Section = reader.GetString(1),
        Health = Enum.Parse<SourceHealth>(reader.GetString(2)),
        LastRun = IngestOutcome.Stored(
            Enum.Parse<OutcomeKind>(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetInt32(6), ReadString(reader, 7),
            ReadInstant(reader, 3)!.Value) with
        {
            ItemsFound = reader.GetInt32(9),
            NextAttemptAt = ReadInstant(reader, 14),
        },
        LastSuccessAt = ReadInstant(reader, 4),
        ConsecutiveFailures = reader.GetInt32(8),
        ItemsNew = reader.GetInt32(10),
        ItemsUpdated = reader.GetInt32(11),
        Validators = new(ReadString(reader, 12), ReadString(reader, 13)),
        RecentFirstPageCounts = JsonSerializer.Deserialize(reader.GetString(15), StorageJsonContext.Default.Int32Array) ?? [],
        DefinitionFingerprint = ReadString(reader, 16),
        StoredItemCount = reader.GetInt32(17),
    };

    /// <summary>Reads a row selected with <see cref="SourceStateChangeColumns"/>, in that column order.</summary>
    public static SourceStateChange ReadSourceStateChange(DbDataReader reader) => new()
    {
        Sequence = reader.GetInt64(0),
        SourceId = reader.GetString(1),
        Section = reader.GetString(2),
        ChangedAt = ReadInstant(reader, 3)!.Value,
        From = reader.IsDBNull(4) ? null : Enum.Parse<SourceHealth>(reader.GetString(4)),
        To = Enum.Parse<SourceHealth>(reader.GetString(5)),
        Outcome = Enum.Parse<OutcomeKind>(reader.GetString(6)),
        HttpStatus = reader.IsDBNull(7) ? null : reader.GetInt32(7),
        Detail = ReadString(reader, 8),
    };

    public static SectionStats ReadSectionStats(DbDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), ReadInstant(reader, 2));

    private static string? ReadString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? ReadInstant(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);
}
