using System.CommandLine;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using CoopFeeds.Storage;

namespace CoopFeeds.Cli;

/// <summary>
/// <c>ingest</c>: one pass over every enabled source (or one), a summary line each, non-zero exit if any failed. A source
/// another process is running now (its lease is held) is skipped, saying so.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var sourceId = new Option<string?>("--source") { Description = "Only this source id" };
        var verb = new StoreVerb("ingest", "Ingest once and exit", sourceId);
        verb.Command.SetAction((result, cancellationToken) => verb.RunAsync(result, async host =>
        {
            var catalog = host.Services.GetRequiredService<SourceCatalogProvider>().Current;
            var id = result.GetValue(sourceId);
            var selected = id is null
                ? catalog.Sources.Where(s => s.Definition.Enabled).ToList()
                : catalog.Sources.Where(s => s.Id == id).ToList();
            if (selected.Count == 0)
            {
                await Console.Error.WriteLineAsync(id is null ? "No enabled sources." : $"No source '{id}'. Sources: {string.Join(", ", catalog.Sources.Select(s => s.Id))}");
                return 2;
            }

            var ingester = host.Services.GetRequiredService<SourceIngester>();
            var leases = host.Services.GetRequiredService<SourceLeases>();
            var failed = 0;
            foreach (var source in selected)
            {
                // Under the source's lease, so that a `serve` on the same store (or another `ingest`) never runs it at the same time.
                var lease = await leases.TryTakeAsync(source, LeaseCondition.Always, cancellationToken);
                if (!lease.Granted)
                {
                    Console.WriteLine(lease.Answer == LeaseAnswer.HeldByAnother
                        ? $"{source.Id}: skipped, being ingested by {lease.HeldBy} (its lease ends at {lease.Until:u})"
                        : $"{source.Id}: skipped, another process was taking or releasing its lease at that moment");
                    continue;
                }

                var report = await leases.HoldAsync(source.Id, run => ingester.IngestAsync(source, leases.Holder, run), cancellationToken);
                var errors = report.Failed ? 1 : 0;
                failed += errors;
                // A 304 reads nothing: say so rather than "0 found".
                var found = report.Outcome.Kind == OutcomeKind.NotModified ? "nothing read" : $"{report.Outcome.ItemsFound} found";
                Console.WriteLine(
                    $"{source.Id}: {report.Outcome.Kind}, {found}, {report.Saved.New} new, {report.Saved.Updated} updated, {errors} errors"
                    + (report.Outcome.Detail is { } detail ? $" ({detail})" : ""));
            }
            return failed == 0 ? 0 : 1;
        }, cancellationToken));
        return verb.Command;
    }
}
