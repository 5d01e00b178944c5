using System.Globalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Normalization;

/// <summary>What <see cref="DateParser"/> needs beyond the text: the source's conventions and the moment of the fetch.</summary>
public sealed record DateParsingContext
{
    /// <summary>The default of <see cref="SourceDefinition.Cultures"/>.</summary>
    public static readonly CultureInfo DefaultCulture = CultureInfo.GetCultureInfo(SourceDefinition.DefaultCulture);

    /// <summary>Custom .NET date formats, tried in order with each culture before the built-in forms.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>Month names and numeric day order; several for pages that mix languages.</summary>
    public IReadOnlyList<CultureInfo> Cultures { get; init; } = [DefaultCulture];

    /// <summary>The zone of dates shown without one; null means UTC.</summary>
    public TimeZoneInfo? TimeZone { get; init; }

    /// <summary>When the listing was fetched: "today", "3 hours ago" and year-less dates count from it.</summary>
    public required DateTimeOffset FetchedAt { get; init; }

    /// <summary>The item's group heading (e.g. "October 2021"), which supplies a month and year the item's date lacks.</summary>
    public string? Group { get; init; }

    /// <summary>The context of one source, with the cultures and zone the loader looked up.</summary>
    public static DateParsingContext For(ConfiguredSource source, DateTimeOffset fetchedAt)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new DateParsingContext
        {
            DateFormats = source.Definition.DateFormats,
            Cultures = source.Cultures,
            TimeZone = source.TimeZone,
            FetchedAt = fetchedAt,
        };
    }
}
