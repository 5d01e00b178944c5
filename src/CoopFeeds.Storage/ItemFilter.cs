using System.Text;

namespace CoopFeeds.Storage;

/// <summary>
/// The WHERE clause shared by feeds, counts and archives: the selected sections, each id once (its first-stored copy
/// among those sections), then categories and words. Values travel as parameters; only parameter names are built.
/// </summary>
internal sealed record ItemFilter(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)
{
    public static ItemFilter From(SqlDialect dialect, IReadOnlyList<string>? sections, IReadOnlyList<string> categories, string? text)
    {
        var parameters = new List<(string Name, object? Value)>();
        var sql = new StringBuilder();
        switch (sections)
        {
            // Every section, or one: the stored positions say which copy is the first (StoredFigures), and the partial
            // indexes on them give the newest items without reading the rest.
            case null:
                sql.Append("i.all_pos IS NOT NULL");
                break;
            case [var section]:
                parameters.Add(("@section0", section));
                sql.Append("i.section = @section0 AND i.section_pos IS NOT NULL");
                break;
            default:
                var sectionList = InList("@section", sections, parameters, fold: null);
                sql.Append($"""
                    i.section IN ({sectionList})
                    AND NOT EXISTS (
                        SELECT 1 FROM items AS e
                        WHERE e.item_id = i.item_id AND e.seq < i.seq AND e.section IN ({sectionList}))
                    """);
                break;
        }

        if (categories is { Count: > 0 })
        {
            sql.Append($"\nAND {dialect.Fold("i.category")} IN ({InList("@category", categories, parameters, dialect.Fold)})");
        }

        var words = text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];
        for (var index = 0; index < words.Length; index++)
        {
            var name = $"@word{index}";
            parameters.Add((name, words[index]));
            var word = dialect.Fold(name);
            sql.Append($"\nAND ({dialect.Contains(dialect.Fold("i.title"), word)} OR {dialect.Contains(dialect.Fold("coalesce(i.summary, '')"), word)})");
        }

        return new ItemFilter(sql.ToString(), parameters);
    }

    /// <summary>Parameter names for an IN list, each folded when asked; an empty list selects nothing (SQL has no empty IN list).</summary>
    private static string InList(string prefix, IReadOnlyList<string> values, List<(string Name, object? Value)> parameters, Func<string, string>? fold)
    {
        if (values.Count == 0)
        {
            return "NULL";
        }

        var names = new List<string>(values.Count);
        for (var index = 0; index < values.Count; index++)
        {
            var name = $"{prefix}{index}";
            names.Add(fold is null ? name : fold(name));
            parameters.Add((name, values[index]));
        }

        return string.Join(", ", names);
    }
}
