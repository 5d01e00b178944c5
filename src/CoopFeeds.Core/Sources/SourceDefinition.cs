using System.Text.Json.Serialization;

namespace CoopFeeds.Core.Sources;

/// <summary>
/// One configured listing page and the selectors that read it, as written in the sources file.
/// Bound from JSON; <see cref="SourceCatalogLoader"/> validates it and resolves <see cref="Url"/>.
/// </summary>
public sealed record SourceDefinition
{
    /// <summary>The culture of a source that names none: day before month, English month names.</summary>
    public const string DefaultCulture = "en-GB";

    public required string Id { get; init; }
    public required string Section { get; init; }

    /// <summary>An http(s) URL, or a path relative to the sources file (a saved page).</summary>
    public required string Url { get; init; }

    /// <summary>For saved pages: the address links resolve against.</summary>
    public string? BaseUrl { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromHours(1);
    public required SelectorSet Selectors { get; init; }

    /// <summary>Custom .NET date formats, tried in order before the built-in forms.</summary>
    public IReadOnlyList<string> DateFormats { get; init; } = [];

    /// <summary>Culture names whose month names and day order the page uses; several for pages that mix languages.</summary>
    public IReadOnlyList<string> Cultures { get; init; } = [DefaultCulture];

    public int MaxPages { get; init; } = 1;

    /// <summary>IANA zone for dates shown without one; null means UTC.</summary>
    public string? TimeZone { get; init; }

    public bool RespectRobots { get; init; } = true;

    /// <summary>
    /// A source named by a host name may reach loopback and private addresses (never link-local ones) when this is true;
    /// otherwise only public ones. A source whose URL is an IP literal or <c>localhost</c> reaches that address's network
    /// whatever this says. Not written when false, so adding the field left every existing source's fingerprint as it was.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AllowPrivateNetworks { get; init; }

    public bool Enabled { get; init; } = true;
}

/// <summary>CSS selectors relative to the item; <c>"sel@attr"</c> reads an attribute.</summary>
public sealed record SelectorSet
{
    public string? Item { get; init; }
    public string? Title { get; init; }
    public string? Link { get; init; }
    public string? Date { get; init; }
    public string? Summary { get; init; }
    public string? Category { get; init; }
    public string? Group { get; init; }
    public string? NextPage { get; init; }
}
