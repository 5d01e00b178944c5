using CoopFeeds.Core.Sources;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Sources;

/// <summary>
/// <c>Ingestion:MinInterval</c>: the shortest Interval the sources file may give a source. A minute keeps public sites from
/// being asked more often than that; a test rig or a private site may go lower. Read under <c>Ingestion:</c> beside the
/// scheduler's settings, and read once at start, because the sources file is validated before anything else is built.
/// </summary>
public sealed class SourceIntervalOptions
{
    public const string Section = "Ingestion";

    public TimeSpan MinInterval { get; set; } = SourceCatalogLoader.DefaultMinInterval;

    /// <summary>The setting from <paramref name="configuration"/>; a value that is no positive duration stops the start, named.</summary>
    public static TimeSpan ReadMinInterval(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        SourceIntervalOptions? options;
        try
        {
            options = section.Get<SourceIntervalOptions>();
        }
        catch (InvalidOperationException)
        {
            throw Invalid($"Ingestion:MinInterval must be a duration such as 00:01:00 (got '{section[nameof(MinInterval)]}')");
        }
        var minInterval = options?.MinInterval ?? SourceCatalogLoader.DefaultMinInterval;
        if (minInterval <= TimeSpan.Zero) throw Invalid($"Ingestion:MinInterval must be positive (got '{minInterval:c}')");
        return minInterval;
    }

    private static OptionsValidationException Invalid(string failure) =>
        new(nameof(MinInterval), typeof(SourceIntervalOptions), [failure]);
}
