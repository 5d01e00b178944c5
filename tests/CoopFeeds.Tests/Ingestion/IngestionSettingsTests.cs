using CoopFeeds.Fetching;
using CoopFeeds.Sources;
using CoopFeeds.Tests.Cli;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// Settings of ingestion as an operator meets them: the shortest interval a source may have is <c>Ingestion:MinInterval</c>
/// (a minute unless set), held alike by <c>serve</c>, its reloads, <c>check</c> and <c>preview</c>; a setting that is gone
/// does not stop a start.
/// </summary>
public sealed class IngestionSettingsTests
{
    private const string Refused = "source 'quick': Interval must be at least 00:01:00, the setting Ingestion:MinInterval (got '00:00:30')";

    [Fact]
    public async Task CheckAndPreviewHoldSourcesToTheMinIntervalSetting()
    {
        await using var file = QuickSource();

        var checkedByDefault = await CoopFeedsProcess.RunAsync(file.Folder, "check", "--sources", file.Path);
        var checkedLower = await CoopFeedsProcess.RunAsync(file.Folder, "check", "--sources", file.Path, "--Ingestion:MinInterval=00:00:10");
        var previewedByDefault = await CoopFeedsProcess.RunAsync(file.Folder, "preview", "--sources", file.Path, "--source", "quick", "--json");
        var previewedLower = await CoopFeedsProcess.RunAsync(file.Folder, "preview", "--sources", file.Path, "--source", "quick", "--json", "--Ingestion:MinInterval=00:00:10");
        var notADuration = await CoopFeedsProcess.RunAsync(file.Folder, "check", "--sources", file.Path, "--Ingestion:MinInterval=soon");

        Assert.Equal(1, checkedByDefault.ExitCode);
        Assert.Contains(Refused, checkedByDefault.StandardOutput);
        Assert.Equal(0, checkedLower.ExitCode);
        Assert.Contains("OK, 1 sections, 1 sources", checkedLower.StandardOutput);
        Assert.Equal(2, previewedByDefault.ExitCode);
        Assert.Contains(Refused, previewedByDefault.StandardError);
        Assert.Equal(0, previewedLower.ExitCode);
        Assert.Contains("News number 3", previewedLower.StandardOutput);
        Assert.Equal(2, notADuration.ExitCode);
        Assert.Contains("Ingestion:MinInterval must be a duration such as 00:01:00 (got 'soon')", notADuration.StandardError);
    }

    [Fact]
    public async Task ServeAndItsReloadsHoldSourcesToTheMinIntervalSetting()
    {
        await using var file = QuickSource();
        var refused = await Assert.ThrowsAsync<SourceCatalogException>(() => file.StartServiceAsync());
        Assert.Contains(Refused, refused.Message);

        await using var host = await file.StartServiceAsync("--Ingestion:MinInterval=00:00:10");
        Assert.Equal("healthy", (await host.StatusAsync("quick")).GetProperty("state").GetString());

        file.Rewrite(new SourceSpec("quick", "quick.html", Interval: "00:00:05"));
        var reloaded = host.Services.GetRequiredService<SourceCatalogProvider>().Reload();
        Assert.Equal(["source 'quick': Interval must be at least 00:00:10, the setting Ingestion:MinInterval (got '00:00:05')"], reloaded.Problems);
        file.Rewrite(new SourceSpec("quick", "quick.html", Interval: "00:00:15"));
        Assert.True(host.Services.GetRequiredService<SourceCatalogProvider>().Reload().IsValid);
    }

    [Fact]
    public async Task AConfigurationThatStillSetsMaxRetryAfterWaitStarts()
    {
        await using var file = QuickSource();

        // The setting is gone (a fetch never waits on Retry-After); the options binder ignores keys it has no property for.
        await using var host = await file.StartServiceAsync("--Ingestion:MinInterval=00:00:10", "--Ingestion:MaxRetryAfterWait=00:00:30");

        Assert.Equal(2, host.Services.GetRequiredService<IOptions<FetchOptions>>().Value.MaxRetries);
        Assert.Equal("healthy", (await host.StatusAsync("quick")).GetProperty("state").GetString());
    }

    /// <summary>One saved page, read every 30 seconds.</summary>
    private static FaultSources QuickSource()
    {
        var file = FaultSources.Write(new SourceSpec("quick", "quick.html", Interval: "00:00:30"));
        file.WritePage("quick.html", FaultSite.Listing(3));
        return file;
    }
}
