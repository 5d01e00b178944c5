using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Storage;

/// <summary>
/// How one ingest run changes a source's state. Pure, so that every store records runs by the same rules.
/// </summary>
internal static class SourceStateTransition
{
    /// <summary>How many first-page counts of good runs are kept for layout-drift detection.</summary>
    public const int RecentFirstPageCountLimit = 10;

    public static SourceState Apply(SourceState? previous, SourceRun run, IngestOutcome outcome, SaveResult saved)
    {
        var state = (previous ?? new SourceState { SourceId = run.SourceId, Section = run.Section, Health = SourceHealth.Healthy, LastRun = outcome }) with
        {
            Section = run.Section,
            LastRun = outcome,
            ItemsNew = saved.New,
            ItemsUpdated = saved.Updated,
        };

        // An edited source: the counts were read by other selectors, so they are no baseline for these (SourceIngester's
        // drift check ignored them too). Null on either side is no edit: a row stored before fingerprints were recorded
        // adopts the current one on its next run instead of losing its baseline.
        var edited = outcome.DefinitionFingerprint is { } used && previous?.DefinitionFingerprint is { } stored && used != stored;

        // The fingerprint moves on only with a run that read the page with it (or when none was known): after a failed or
        // degraded run of an edited source the next one is still unconditional, so a 304 for the old page never stands in
        // for what the new selectors find.
        if (outcome.Kind == OutcomeKind.Success || state.DefinitionFingerprint is null)
            state = state with { DefinitionFingerprint = outcome.DefinitionFingerprint ?? state.DefinitionFingerprint };

        if (outcome.Kind == OutcomeKind.Degraded)
        {
            // The site answered, so this is no fetch failure (the backoff counter resets), but the run was not good:
            // its count must not become the baseline, and its validators are not kept, or the next conditional
            // request would answer 304 and mark the still-drifted source healthy.
            return state with
            {
                Health = SourceHealth.Degraded,
                ConsecutiveFailures = 0,
            };
        }

        if (outcome.IsSuccess)
        {
            IReadOnlyList<int> baseline = edited && outcome.Kind == OutcomeKind.Success ? [] : state.RecentFirstPageCounts;
            var validators = outcome.Fetch.Validators;
            return state with
            {
                Health = SourceHealth.Healthy,
                LastSuccessAt = outcome.AttemptedAt,
                ConsecutiveFailures = 0,
                // A 304 usually repeats no validators: keep the ones that earned it.
                Validators = new(validators.ETag ?? state.Validators.ETag, validators.LastModified ?? state.Validators.LastModified),
                RecentFirstPageCounts = outcome.FirstPageItemCount is { } count
                    ? [.. baseline.Append(count).TakeLast(RecentFirstPageCountLimit)]
                    : baseline,
            };
        }

        return state with
        {
            Health = SourceHealth.Failing,
            ConsecutiveFailures = state.ConsecutiveFailures + 1,
        };
    }
}
