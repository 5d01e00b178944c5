using CoopFeeds.Core.Outcomes;
using CoopFeeds.Sources;
using CoopFeeds.Storage;
using CoopFeeds.Telemetry;

namespace CoopFeeds.Status;

/// <summary>One source as a maintainer sees it: configuration, last run, and what happens next. Field names are the JSON's.</summary>
public sealed record SourceStatus
{
    public required string Id { get; init; }
    public required string Section { get; init; }

    /// <summary>healthy, degraded, failing, disabled; "pending" before its first run; "removed" when no longer in the sources file.</summary>
    public required string State { get; init; }

    public string? Url { get; init; }
    public TimeSpan? Interval { get; init; }
    public bool RespectRobots { get; init; } = true;
    public bool Running { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? LastSuccessAt { get; init; }
    public string? LastOutcome { get; init; }
    public int? LastHttpStatus { get; init; }
    /// <summary>Items the last run read from the page; null when the site answered 304 Not Modified and nothing was read.</summary>
    public int? ItemsFound { get; init; }

    public int ItemsNew { get; init; }
    public int ItemsUpdated { get; init; }
    public int StoredItems { get; init; }
    public int ConsecutiveFailures { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
}

/// <summary>
/// Joins the sources file, the store's source states and the scheduler's activity into <see cref="SourceStatus"/>es. All but
/// <see cref="SourceStatus.Running"/> come from the file and the store, so every instance on one database tells one story;
/// whether a source is running is this instance's own view.
/// </summary>
public sealed class SourceStatusReader(SourceCatalogProvider catalogs, IItemStore store, IngestionActivity activity)
{
    public async Task<IReadOnlyList<SourceStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        var catalog = catalogs.Current;
        var states = (await store.GetSourceStatesAsync(cancellationToken)).ToDictionary(s => s.SourceId, StringComparer.Ordinal);
        var statuses = new List<SourceStatus>();

        foreach (var source in catalog.Sources)
        {
            states.Remove(source.Id, out var state);
            var enabled = source.Definition.Enabled;
            statuses.Add(From(state, source.Id, source.Section) with
            {
                State = !enabled ? "disabled" : state is null ? "pending" : Name(state.Health),
                Url = source.Location.IsFile ? source.Definition.Url : Core.Sources.UrlRedactor.Redact(source.Location),
                Interval = source.Definition.Interval,
                RespectRobots = source.Definition.RespectRobots,
                // The stored next attempt, the same on every instance; before the first run, when this instance will try.
                NextAttemptAt = !enabled ? null : state?.LastRun.NextAttemptAt ?? (activity.NextDue.TryGetValue(source.Id, out var due) ? due : null),
            });
        }

        // Sources gone from the file: no longer fetched, their items still published.
        statuses.AddRange(states.Values.Select(state => From(state, state.SourceId, state.Section) with { State = "removed", NextAttemptAt = null }));
        return [.. statuses.OrderBy(s => s.Id, StringComparer.Ordinal)];
    }

    public static string Name(SourceHealth health) => health.ToString().ToLowerInvariant();

    private SourceStatus From(SourceState? state, string id, string section) => new()
    {
        Id = id,
        Section = section,
        State = state is null ? "pending" : Name(state.Health),
        Running = activity.Running.ContainsKey(id),
        LastAttemptAt = state?.LastRun.AttemptedAt,
        LastSuccessAt = state?.LastSuccessAt,
        LastOutcome = state?.LastRun.Kind.ToString(),
        LastHttpStatus = state?.LastRun.Fetch.StatusCode,
        // A 304 reads nothing; "0 found" would look like a page that lost its items.
        ItemsFound = state?.LastRun.Kind == OutcomeKind.NotModified ? null : state?.LastRun.ItemsFound ?? 0,
        ItemsNew = state?.ItemsNew ?? 0,
        ItemsUpdated = state?.ItemsUpdated ?? 0,
        StoredItems = state?.StoredItemCount ?? 0,
        ConsecutiveFailures = state?.ConsecutiveFailures ?? 0,
        LastError = state?.LastRun.Error is { } error ? Core.Sources.UrlRedactor.RedactText(error) : null, // also what older versions stored
        NextAttemptAt = state?.LastRun.NextAttemptAt,
    };
}
