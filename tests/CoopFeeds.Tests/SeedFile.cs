using System.Globalization;
using System.Text.RegularExpressions;

namespace CoopFeeds.Tests;

/// <summary>One item as a seed (the text rendering of a real ILO listing page) shows it.</summary>
internal sealed record SeedItem(string Title, DateOnly Date, string? Summary, string? Label);

/// <summary>
/// Reads the seed text files: numbered items whose lines are an optional image credit, an optional type label,
/// the title, the date ("07 October 2021") and an optional summary. Numbered entries without a date
/// (the newsroom's "Media contact" box) are not items.
/// </summary>
internal static partial class SeedFile
{
    /// <summary>Seed file prefix → the sample source built from it.</summary>
    public static readonly IReadOnlyDictionary<string, string> SourceIds = new Dictionary<string, string>
    {
        ["000"] = "ilo-sse-resources",
        ["001"] = "ilo-coop-publications",
        ["002"] = "ilo-coop-news-stories",
        ["003"] = "ilo-newsroom-coop",
        ["004"] = "ilo-coop-resources",
    };

    public static IReadOnlyList<SeedItem> ForSource(string sourceId)
    {
        var prefix = SourceIds.Single(p => p.Value == sourceId).Key;
        var file = Directory.GetFiles(RepoPaths.Fixture("seeds"), prefix + "_*.txt").Single();
        return Parse(File.ReadAllLines(file));
    }

    public static IReadOnlyList<SeedItem> Parse(IEnumerable<string> lines)
    {
        var items = new List<SeedItem>();
        List<string>? block = null;
        foreach (var line in lines)
        {
            if (ItemStart().Match(line) is { Success: true } start)
            {
                Flush();
                block = [start.Groups[1].Value.Trim()];
            }
            else if (line.StartsWith("    ", StringComparison.Ordinal) && block is not null)
            {
                if (line.Trim().Length > 0) block.Add(line.Trim());
            }
            else if (line.Trim().Length > 0)
            {
                Flush(); // a heading (a month, "News") ends the item before it
            }
        }
        Flush();
        return items;

        void Flush()
        {
            if (block is null) return;
            var dateAt = block.FindIndex(l => DateLine().IsMatch(l));
            if (dateAt >= 1)
            {
                var before = block[..dateAt];
                var title = before[^1];
                var label = before.Count >= 2 && !before[^2].StartsWith('©') ? before[^2] : null;
                var summary = dateAt + 1 < block.Count ? string.Join(" ", block[(dateAt + 1)..]) : null;
                var date = DateOnly.ParseExact(block[dateAt], "dd MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
                items.Add(new SeedItem(title, date, summary, label));
            }
            block = null;
        }
    }

    /// <summary>Whitespace as a reader sees it: any run of spaces (NBSP included) is one space.</summary>
    public static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"^  \d+\. (.*)$")]
    private static partial Regex ItemStart();

    [GeneratedRegex(@"^\d{2} [A-Z][a-z]+ \d{4}$")]
    private static partial Regex DateLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
