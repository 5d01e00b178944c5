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
}
