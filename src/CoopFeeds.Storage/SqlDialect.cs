namespace CoopFeeds.Storage;

/// <summary>
/// The few spellings of SQL that differ between the stores. Everything else the stores say — the save, the queries, the
/// stored figures — is written once, in SQL both engines read alike (<see cref="SqlItemStore"/>).
/// </summary>
internal sealed record SqlDialect
{
    /// <summary>
    /// Case folding of a text expression, for the category and word filters: Unicode-aware on both engines, so that
    /// "ÉCONOMIE" finds "Économie". Applied to the column and the value searched for alike.
    /// </summary>
    public required Func<string, string> Fold { get; init; }

    /// <summary>A condition: the text <c>needle</c> occurs in <c>haystack</c>, taken literally (no wildcards).</summary>
    public required Func<string, string, string> Contains { get; init; }

    /// <summary>
    /// What follows the read of a lease row inside the lease transaction, so that holders take turns on it: PostgreSQL
    /// locks the row and skips one another holder has locked (that holder is taking or releasing it); SQLite needs nothing,
    /// its lease transaction being <c>BEGIN IMMEDIATE</c>.
    /// </summary>
    public required string LockLeaseRow { get; init; }

    /// <summary>
    /// How many new items one INSERT of a save carries (<see cref="StoreWriter"/>). A round trip to a server costs more than
    /// a statement of many rows; in-process SQLite is quickest running one compiled one-row statement again (it binds each
    /// parameter by a search of the statement's names, so a statement of many rows costs more per row).
    /// </summary>
    public required int RowsPerInsert { get; init; }
}
