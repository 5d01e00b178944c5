using System.CommandLine;
using CoopFeeds.Publishing;
using CoopFeeds.StorageSetup;

namespace CoopFeeds.Cli;

/// <summary>
/// A verb that works on the store (<c>ingest</c>, <c>purge</c>): <c>--sources</c> and <c>--data</c> beside its own options,
/// settings passed through, and its work run on a started host, so the store is migrated first as <c>serve</c> would have it.
/// </summary>
internal sealed class StoreVerb
{
    private readonly Option<string> _sources = CoopFeedsCommandLine.SourcesOption();
    private readonly Option<string> _data = CoopFeedsCommandLine.DataOption();

    public StoreVerb(string name, string description, params Option[] options)
    {
        Command = new Command(name, description) { _sources, _data };
        foreach (var option in options) Command.Options.Add(option);
        Command.TreatUnmatchedTokensAsErrors = false;
    }

    public Command Command { get; }

    /// <summary>
    /// Starts the host (which migrates the store), runs <paramref name="work"/>, pings the WebSub hub (when one is set) for
    /// the changes it stored and notified, and stops the host again.
    /// </summary>
    /// <returns>The exit code <paramref name="work"/> gives.</returns>
    public async Task<int> RunAsync(ParseResult result, Func<IHost, Task<int>> work, CancellationToken cancellationToken)
    {
        using var host = CliHost.Create(result.GetValue(_sources)!, result.GetValue(_data)!, CoopFeedsCommandLine.ConfigArgs(result));
        await host.Services.MigrateItemStoreAsync(cancellationToken);
        await host.StartAsync(cancellationToken);
        var exitCode = await work(host);
        // This process stored the changes, so it, and no serve instance, tells the hub.
        await host.Services.GetRequiredService<HubPinger>().PingWrittenChangesAsync(cancellationToken);
        await host.StopAsync(cancellationToken);
        return exitCode;
    }
}
