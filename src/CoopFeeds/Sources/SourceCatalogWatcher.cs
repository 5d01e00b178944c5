using System.Security.Cryptography;
using CoopFeeds.Core.Sources;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Sources;

/// <summary>Settings under <c>Sources:</c>.</summary>
public sealed class SourcesOptions
{
    public const string Section = "Sources";

    /// <summary>How often the sources file is checked for changes.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The folder every saved page of the sources file must be in, links resolved (relative to the current folder); null:
    /// the sources file's own folder. A page outside it is a problem when the file is read, and is refused at every read.
    /// </summary>
    public string? FileRoot { get; set; }

    /// <summary><see cref="FileRoot"/> as configured, for the verbs that read the sources file before any service runs.</summary>
    public static string? FileRootIn(IConfiguration configuration) =>
        configuration[$"{Section}:{nameof(FileRoot)}"] is { Length: > 0 } root ? root : null;
}

/// <summary>
/// Reloads the sources file when its content changes: sources added, removed or edited take effect without a restart.
/// Polling the content (through <see cref="TimeProvider"/>) rather than a FileSystemWatcher: it works on bind mounts and
/// network shares, sees editors that replace the file, and lets tests advance time instead of sleeping.
/// A file that does not validate is rejected whole, the previous catalog stays in force, and every problem is logged.
/// </summary>
public sealed class SourceCatalogWatcher(
    SourceCatalogProvider catalogs, IOptions<SourcesOptions> options, TimeProvider clock, ILogger<SourceCatalogWatcher> logger)
    : BackgroundService
{
    private byte[]? _lastHash;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lastHash = Hash(catalogs.Current.FilePath);
        using var timer = new PeriodicTimer(options.Value.ReloadInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) CheckOnce();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reloads when the file's content differs from the last content seen; returns true when the catalog changed.</summary>
    internal bool CheckOnce()
    {
        var path = catalogs.Current.FilePath;
        var hash = Hash(path);
        if (hash is null || (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash))) return false;
        _lastHash = hash;

        var before = catalogs.Current;
        var result = catalogs.Reload();
        if (!result.IsValid)
        {
            logger.LogError("Sources file {Path} changed but has {ProblemCount} problem(s); keeping the previous sources:\n{Problems}",
                path, result.Problems.Count, string.Join("\n", result.Problems.Select(p => "  - " + p)));
            return false;
        }

        var after = catalogs.Current;
        var added = after.Sources.Select(s => s.Id).Except(before.Sources.Select(s => s.Id)).ToList();
        var removed = before.Sources.Select(s => s.Id).Except(after.Sources.Select(s => s.Id)).ToList();
        var edited = after.Sources
            .Where(s => before.FindSource(s.Id) is { } old && SourceFingerprint.Of(old.Definition) != SourceFingerprint.Of(s.Definition))
            .Select(s => s.Id).ToList();
        logger.LogInformation("Sources file {Path} reloaded: {SourceCount} sources; added [{Added}], removed [{Removed}], edited [{Edited}]",
            path, after.Sources.Count, string.Join(", ", added), string.Join(", ", removed), string.Join(", ", edited));
        return true;
    }

    private byte[]? Hash(string path)
    {
        try
        {
            return SHA256.HashData(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Sources file {Path} cannot be read ({Error}); keeping the previous sources", path, ex.Message);
            return null;
        }
    }
}
