using System.CommandLine;
using CoopFeeds.Core.Outcomes;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;

namespace CoopFeeds.Cli;

/// <summary><c>ingest</c>: one pass over every enabled source (or one), a summary line each, non-zero exit if any failed.</summary>
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
            var failed = 0;
            foreach (var source in selected)
            {
                var report = await ingester.IngestAsync(source, cancellationToken);
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
