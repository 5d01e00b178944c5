using System.ComponentModel.DataAnnotations;
using CoopFeeds.Core.Normalization;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Ingestion;

/// <summary>
/// The scheduler's settings under <c>Ingestion:</c>; how pages are fetched is read from the same section
/// (<see cref="Fetching.FetchOptions"/>). Units are in the types: durations are TimeSpans.
/// </summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>An item's title longer than this many characters is cut at a word, with "…" (and a warning).</summary>
    [Range(1, int.MaxValue)]
    public int MaxTitleChars { get; set; } = NormalizationLimits.DefaultMaxTitleChars;

    /// <summary>
    /// An item's summary whose sanitized HTML is longer than this many characters is cut between elements or at a word, with
    /// "…" (and a warning): a page is not trusted to keep its summaries short, and every feed of the section carries them.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxSummaryChars { get; set; } = NormalizationLimits.DefaultMaxSummaryChars;

    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>A first page yielding fewer than this fraction of the median of recent good counts marks the source degraded.</summary>
    [Range(0.0, 1.0)]
    public double DriftThreshold { get; set; } = 0.5;

    /// <summary>
    /// The longest /readyz waits for every enabled source to have a stored state. Two minutes lets a pass over healthy sites
    /// finish first (a fresh store then serves full feeds), while one hanging site cannot hold a deployment.
    /// </summary>
    public TimeSpan ReadyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The longest one run of a source may take: every page, redirect, robots.txt fetch, retry and backoff delay together.
    /// A run that reaches it on its first page ends as a Timeout; on a later page it keeps the pages already read.
    /// </summary>
    public TimeSpan RunTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a source's lease lasts (<see cref="SourceLeases"/>): while an instance holds it no other runs the source, and
    /// once it expires (its holder crashed or stalled) another takes the source over. It is renewed every third of it while
    /// the run goes on, so a slow run is never fetched twice. Unset: <see cref="RunTimeout"/> + 1 minute.
    /// </summary>
    public TimeSpan? LeaseDuration { get; set; }

    /// <summary><see cref="LeaseDuration"/>, or its default.</summary>
    public TimeSpan EffectiveLeaseDuration => LeaseDuration ?? RunTimeout + TimeSpan.FromMinutes(1);

    /// <summary>The longest a failing source waits before its next attempt (its interval doubles per consecutive failure).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Each next attempt is pushed later by a random part of the interval up to this fraction, so sources spread out.</summary>
    [Range(0.0, 0.5)]
    public double IntervalJitter { get; set; } = 0.1;
}

/// <summary>
/// Checks the attributes of <see cref="IngestionOptions"/> at start, as ValidateDataAnnotations did, with code generated at compile time
/// (the Native AOT binary cannot read them by reflection).
/// </summary>
[OptionsValidator]
internal sealed partial class IngestionOptionsValidator : IValidateOptions<IngestionOptions>;
