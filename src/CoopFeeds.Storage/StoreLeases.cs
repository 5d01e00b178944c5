using System.Data.Common;

namespace CoopFeeds.Storage;

/// <summary>
/// The lease statements (<see cref="IItemStore.TryLeaseAsync"/>): one row per source in <c>source_leases</c> — who holds it,
/// until when (UTC ticks), and the definition fingerprint of the last run saved under a lease. A released lease keeps its
/// row with no holder, so PostgreSQL always has a row to lock. Every statement is SQL both engines read alike but the
/// lock clause the store's dialect supplies.
/// </summary>
internal static class StoreLeases
{
    // A row to lock: inserted once per source, free.
    private const string InsertFreeLease = """
        INSERT INTO source_leases (source_id) VALUES (@source_id)
        ON CONFLICT (source_id) DO NOTHING;
        """;

    private const string TakeLease = """
        UPDATE source_leases SET holder = @holder, expires_at = @expires_at WHERE source_id = @source_id;
        """;

    private const string RenewLease = """
        UPDATE source_leases SET expires_at = @expires_at WHERE source_id = @source_id AND holder = @holder;
        """;

    private const string ReleaseLease = """
        UPDATE source_leases SET holder = NULL, expires_at = NULL WHERE source_id = @source_id AND holder = @holder;
        """;

    // Only the holder's own lease: one that another holder took over once it expired is not released, and the save fails.
    private const string ReleaseAfterRun = """
        UPDATE source_leases SET holder = NULL, expires_at = NULL, run_fingerprint = @run_fingerprint
        WHERE source_id = @source_id AND holder = @holder;
        """;

    /// <summary>The lease row and what the stored state says of the source being due, locked as the dialect says.</summary>
    private static string SelectLease(SqlDialect dialect) => $"""
        SELECT l.holder, l.expires_at, l.run_fingerprint, CASE WHEN s.source_id IS NULL THEN 0 ELSE 1 END, s.next_attempt_at
        FROM source_leases AS l
        LEFT JOIN source_state AS s ON s.source_id = l.source_id
        WHERE l.source_id = @source_id
        {dialect.LockLeaseRow};
        """;

    /// <summary>Decides and takes a lease inside the lease transaction the store began; the caller commits.</summary>
    public static async Task<LeaseResult> TryLeaseAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect,
        LeaseRequest request, CancellationToken cancellationToken)
    {
        (string Name, object? Value)[] source = [("@source_id", request.SourceId)];
        await connection.ExecuteAsync(transaction, InsertFreeLease, source, cancellationToken);
        var row = await connection.ReadFirstAsync(transaction, SelectLease(dialect), source, reader => new LeaseRow(
            reader.IsDBNull(0) ? null : reader.GetString(0),
            reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
            reader.IsDBNull(2) ? null : reader.GetString(2),
            reader.GetInt32(3) == 1,
            reader.IsDBNull(4) ? null : new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero)), cancellationToken);

        var result = row is null ? new LeaseResult(LeaseAnswer.Busy, null) : Decide(row, request);
        if (result.Granted)
        {
            await connection.ExecuteAsync(transaction, TakeLease,
                [.. source, ("@holder", request.Holder), ("@expires_at", result.Until!.Value.UtcTicks)], cancellationToken);
        }

        return result;
    }

    public static async Task<bool> RenewAsync(DbConnection connection, string sourceId, string holder, DateTimeOffset until,
        CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(null, RenewLease,
            [("@source_id", sourceId), ("@holder", holder), ("@expires_at", until.UtcTicks)], cancellationToken) == 1;

    public static Task ReleaseAsync(DbConnection connection, string sourceId, string holder, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(null, ReleaseLease, [("@source_id", sourceId), ("@holder", holder)], cancellationToken);

    /// <summary>Releases the lease a run was saved under, in the save's transaction.</summary>
    /// <exception cref="LeaseLostException">The holder no longer holds it.</exception>
    public static async Task ReleaseAfterRunAsync(DbConnection connection, DbTransaction transaction, string sourceId, string holder,
        string? fingerprint, CancellationToken cancellationToken)
    {
        var released = await connection.ExecuteAsync(transaction, ReleaseAfterRun,
            [("@source_id", sourceId), ("@holder", holder), ("@run_fingerprint", fingerprint)], cancellationToken);
        if (released != 1) throw new LeaseLostException(sourceId, holder);
    }

    /// <summary>The rule, apart from the SQL that reads and writes it.</summary>
    private static LeaseResult Decide(LeaseRow row, LeaseRequest request)
    {
        if (row.Holder is { } other && other != request.Holder && row.ExpiresAt > request.Now)
            return new LeaseResult(LeaseAnswer.HeldByAnother, row.ExpiresAt, other);

        var due = !row.HasRun || row.NextAttemptAt is null || row.NextAttemptAt <= request.Now;
        var granted = request.Condition switch
        {
            LeaseCondition.Always => true,
            LeaseCondition.WhenDueOrEdited => due || row.RunFingerprint != request.Fingerprint,
            _ => due,
        };
        return granted
            ? new LeaseResult(LeaseAnswer.Granted, request.Now + request.Duration, request.Holder)
            : new LeaseResult(LeaseAnswer.NotDue, row.NextAttemptAt);
    }

    private sealed record LeaseRow(string? Holder, DateTimeOffset? ExpiresAt, string? RunFingerprint, bool HasRun, DateTimeOffset? NextAttemptAt);
}
