using System.Diagnostics.Metrics;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Storage;

namespace CoopFeeds.Telemetry;

/// <summary>
/// The service's instruments, on one <see cref="Meter"/> named "CoopFeeds" (exported at <c>/metrics</c>). Names follow the
/// OpenTelemetry conventions: dotted, units in the unit field (Prometheus shows <c>coopfeeds_fetch_duration_seconds</c>).
/// </summary>
public sealed class CoopFeedsMetrics
{
    public const string MeterName = "CoopFeeds";

    private readonly Histogram<double> _fetchDuration;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _itemsNew;
    private readonly Counter<long> _itemsUpdated;
    private readonly Counter<long> _feedRequests;
    private readonly Counter<long> _feedNotModified;

    public CoopFeedsMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _fetchDuration = meter.CreateHistogram<double>("coopfeeds.fetch.duration", "s",
            "Time to fetch one listing page, redirects, retries and robots.txt included, by outcome");
        _runs = meter.CreateCounter<long>("coopfeeds.ingest.runs", "{run}", "Source runs by source and outcome kind");
        _itemsNew = meter.CreateCounter<long>("coopfeeds.items.new", "{item}", "Items stored for the first time, by source");
        _itemsUpdated = meter.CreateCounter<long>("coopfeeds.items.updated", "{item}", "Stored items whose content changed, by source");
        _feedRequests = meter.CreateCounter<long>("coopfeeds.feed.requests", "{request}", "Feed requests, by section and format");
        _feedNotModified = meter.CreateCounter<long>("coopfeeds.feed.not_modified", "{response}", "Feed requests answered 304, by section and format");
    }

    public void RecordFetch(OutcomeKind kind, TimeSpan elapsed) =>
        _fetchDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", kind.ToString()));

    public void RecordRun(string sourceId, OutcomeKind kind, SaveResult saved)
    {
        var source = new KeyValuePair<string, object?>("source", sourceId);
        _runs.Add(1, source, new KeyValuePair<string, object?>("outcome", kind.ToString()));
        if (saved.New > 0) _itemsNew.Add(saved.New, source);
        if (saved.Updated > 0) _itemsUpdated.Add(saved.Updated, source);
    }

    /// <summary>For the feed endpoint (publishing): one call per feed request, saying whether it was answered 304.</summary>
    public void RecordFeedRequest(string section, string format, bool notModified)
    {
        // The two-tag overload allocates nothing: this runs on every feed request, the hottest path there is.
        var sectionTag = new KeyValuePair<string, object?>("section", section);
        var formatTag = new KeyValuePair<string, object?>("format", format);
        _feedRequests.Add(1, sectionTag, formatTag);
        if (notModified) _feedNotModified.Add(1, sectionTag, formatTag);
    }
}
