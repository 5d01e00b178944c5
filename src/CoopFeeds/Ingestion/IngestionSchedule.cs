namespace CoopFeeds.Ingestion;

/// <summary>When a source is next due. Pure: the caller passes the clock's time and the random draw.</summary>
public static class IngestionSchedule
{
    /// <summary>
    /// The next attempt after a run that started at <paramref name="startedAt"/>: one interval later, pushed back by up to
    /// <paramref name="jitterFraction"/> of it (<paramref name="draw"/> in [0, 1)); after consecutive failures the interval
    /// doubles for each failure after the first (min(interval × 2^(failures−1), max(MaxBackoff, interval))), so one failed
    /// run is retried on time but a site that stays down is asked less and less; never before <paramref name="notBefore"/>,
    /// the time the site's Retry-After points to (counted from its answer, not from the start of the run).
    /// </summary>
    public static DateTimeOffset NextAttempt(
        DateTimeOffset startedAt, TimeSpan interval, int consecutiveFailures, DateTimeOffset? notBefore,
        TimeSpan maxBackoff, double jitterFraction, double draw)
    {
        var wait = interval;
        if (consecutiveFailures > 1)
        {
            var cap = maxBackoff > interval ? maxBackoff : interval;
            var factor = Math.Pow(2, Math.Min(consecutiveFailures - 1, 30));
            wait = interval.TotalSeconds * factor >= cap.TotalSeconds ? cap : interval * factor;
        }
        wait += wait * (jitterFraction * Math.Clamp(draw, 0, 1));
        var next = startedAt + wait;
        return notBefore is { } asked && asked > next ? asked : next;
    }

    /// <summary>
    /// When each source that was due while the service was down runs after a start: the most overdue first, spread evenly
    /// over <paramref name="window"/> from <paramref name="now"/>, so a restart after a long stop does not ask every site at
    /// once, and a service that keeps crashing still reaches the sources it has waited on longest.
    /// </summary>
    /// <param name="overdue">Each source's stored next attempt, all at or before <paramref name="now"/>.</param>
    public static IReadOnlyList<(string SourceId, DateTimeOffset Due)> SpreadOverdue(
        IEnumerable<(string SourceId, DateTimeOffset NextAttemptAt)> overdue, DateTimeOffset now, TimeSpan window)
    {
        var ordered = overdue.OrderBy(s => s.NextAttemptAt).ThenBy(s => s.SourceId, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0) return [];
        var step = window / ordered.Count;
        return [.. ordered.Select((s, i) => (s.SourceId, now + step * i))];
    }

    /// <summary>The median of recent good first-page counts (the layout-drift baseline); null without history.</summary>
    public static double? Median(IReadOnlyList<int> counts)
    {
        if (counts.Count == 0) return null;
        var sorted = counts.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }
}
