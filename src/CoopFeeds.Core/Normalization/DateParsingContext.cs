using System.Globalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Normalization;

/// <summary>What <see cref="DateParser"/> needs beyond the text: the source's conventions and the moment of the fetch.</summary>
public sealed record DateParsingContext
{
    /// <summary>en-GB: the default of <see cref="SourceDefinition.Cultures"/>.</summary>
    public static readonly CultureInfo DefaultCulture = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Custom .NET date formats, tried in order with each culture before the built-in forms.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>Month names and numeric day order; several for pages that mix languages. Empty means en-GB.</summary>
    public IReadOnlyList<CultureInfo> Cultures { get; init; } = [DefaultCulture];

    /// <summary>The zone of dates shown without one; null means UTC.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>When the listing was fetched: "today", "3 hours ago" and year-less dates count from it.</summary>
    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>The item's group heading (e.g. "October 2021"), which supplies a month and year the item's date lacks.</summary>
    public string? Group { get; init; }

    /// <summary>
    /// The context of one source, with its cultures and zone looked up. A culture or zone that cannot be found
    /// is reported in <paramref name="problems"/> and left out (UTC for the zone): catalog validation should
    /// already have refused it, and one bad setting must not stop the items from being read.
    /// </summary>
    public static DateParsingContext For(SourceDefinition source, DateTimeOffset fetchedAt, ICollection<string>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(source);

        var cultures = new List<CultureInfo>();
        foreach (var name in source.Cultures)
        {
            try
            {
                cultures.Add(CultureInfo.GetCultureInfo(name));
            }
            catch (CultureNotFoundException)
            {
                problems?.Add($"Source {source.Id}: culture \"{name}\" is unknown and was ignored.");
            }
        }

        TimeZoneInfo? zone = null;
        if (!string.IsNullOrWhiteSpace(source.TimeZone))
        {
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(source.TimeZone);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                problems?.Add($"Source {source.Id}: time zone \"{source.TimeZone}\" is unknown; dates without a zone are read as UTC.");
            }
        }

        return new DateParsingContext
        {
            DateFormats = source.DateFormats,
            Cultures = cultures.Count > 0 ? cultures : [DefaultCulture],
            TimeZone = zone,
            FetchedAt = fetchedAt,
        };
    }
}
