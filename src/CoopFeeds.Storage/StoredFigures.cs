namespace CoopFeeds.Storage;

/// <summary>
/// The figures kept beside the items so that no query's cost grows with the store: each item's archive position among every
/// item (<c>all_pos</c>) and within its section (<c>section_pos</c>), NULL on a later copy of an id already stored; each
/// section's item count and newest change (<c>section_stats</c>); each source's stored items (<c>source_state.stored_item_count</c>).
/// A save that only adds or edits items keeps them in O(log n) (<see cref="StoreWriter"/>); these statements, which SQLite
/// and PostgreSQL read alike, rebuild them from the items after what can move a position (a purge, an item moving to
/// another section, an id changing), which is rare, and once in the SQLite migration that introduced them. They derive
/// everything from the items, so running them again changes nothing.
/// </summary>
internal static class StoredFigures
{
    /// <summary>
    /// Numbers the first-stored copy of each item id 1, 2, 3… in insertion order, among every item and within each section;
    /// later copies get NULL. Writes only the rows whose position changes.
    /// </summary>
    public const string Renumber = """
        UPDATE items SET all_pos = numbered.pos
        FROM (
            SELECT seq, CASE WHEN is_first = 1 THEN sum(is_first) OVER (ORDER BY seq) END AS pos
            FROM (
                SELECT i.seq, CASE WHEN i.seq = (SELECT min(e.seq) FROM items AS e WHERE e.item_id = i.item_id) THEN 1 ELSE 0 END AS is_first
                FROM items AS i
            ) AS flagged
        ) AS numbered
        WHERE items.seq = numbered.seq AND items.all_pos IS DISTINCT FROM numbered.pos;

        UPDATE items SET section_pos = numbered.pos
        FROM (
            SELECT seq, CASE WHEN is_first = 1 THEN sum(is_first) OVER (PARTITION BY section ORDER BY seq) END AS pos
            FROM (
                SELECT i.seq, i.section,
                       CASE WHEN i.seq = (SELECT min(e.seq) FROM items AS e WHERE e.item_id = i.item_id AND e.section = i.section) THEN 1 ELSE 0 END AS is_first
                FROM items AS i
            ) AS flagged
        ) AS numbered
        WHERE items.seq = numbered.seq AND items.section_pos IS DISTINCT FROM numbered.pos;

        DELETE FROM section_stats;
        INSERT INTO section_stats (section, item_count, last_changed)
        SELECT section, count(section_pos), max(last_changed) FROM items GROUP BY section;
        """;

    /// <summary>Counts every source's stored items again.</summary>
    public const string RecountSources = """
        UPDATE source_state SET stored_item_count = (SELECT count(*) FROM items AS i WHERE i.source_id = source_state.source_id);
        """;
}
