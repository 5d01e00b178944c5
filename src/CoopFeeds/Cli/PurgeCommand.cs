using System.CommandLine;
using System.Globalization;
using CoopFeeds.Changes;
using CoopFeeds.Storage;

namespace CoopFeeds.Cli;

/// <summary><c>purge --source ID [--since TIME]</c>: removes a source's items (junk from a bad selector run) and says how many.</summary>
internal static class PurgeCommand
{
    public static Command Create()
    {
        var sourceId = new Option<string>("--source") { Description = "The source whose items go", Required = true };
        var since = new Option<string?>("--since") { Description = "Only items first seen at or after this time (ISO 8601)" };
        var verb = new StoreVerb("purge", "Remove a source's items", sourceId, since);
        verb.Command.SetAction(async (result, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (result.GetValue(since) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    await Console.Error.WriteLineAsync($"--since '{text}' is not a date and time such as 2026-11-01T00:00:00Z");
                    return 2;
                }
                from = parsed;
            }
            return await verb.RunAsync(result, async host =>
            {
                var id = result.GetValue(sourceId)!;
                var store = host.Services.GetRequiredService<IItemStore>();
                var before = await store.GetSectionStatsAsync(cancellationToken);
                var removed = await store.PurgeAsync(id, from, cancellationToken);
                if (removed > 0)
                {
                    // The sections whose feeds lost items, for the hub: a source's items are where its runs put them, which
                    // the sources file may no longer say.
                    var changes = host.Services.GetRequiredService<FeedChangeSignal>();
                    changes.Notify([.. Changed(before, await store.GetSectionStatsAsync(cancellationToken))]);
                }
                Console.WriteLine($"{id}: removed {removed} item{(removed == 1 ? "" : "s")}" + (from is null ? "" : $" first seen since {from:O}"));
                return 0;
            }, cancellationToken);
        });
        return verb.Command;
    }

    /// <summary>Sections whose item count or newest change differs, a section missing on one side counting as empty.</summary>
    private static IEnumerable<string> Changed(IReadOnlyList<SectionStats> before, IReadOnlyList<SectionStats> after) =>
        before.Select(s => s.Section).Union(after.Select(s => s.Section), StringComparer.Ordinal)
            .Where(section => !Equals(before.FirstOrDefault(s => s.Section == section), after.FirstOrDefault(s => s.Section == section)));
}
