namespace CoopFeeds.Tests.Cli;

/// <summary><c>Storage:Provider</c> and <c>Storage:ConnectionString</c> as the verbs meet them: a store that cannot be used stops the start in one line.</summary>
public sealed class StorageSettingsTests
{
    [Theory]
    [InlineData("serve", "--urls", "http://127.0.0.1:0")]
    [InlineData("ingest")]
    [InlineData("purge", "--source", "ilo-coop-news")]
    public async Task AnUnreachablePostgresServerStopsEveryStoreVerbWithOneLine(params string[] verb)
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: every connection is refused
        var folder = CoopFeedsProcess.CopyOfSamples();

        var result = await CoopFeedsProcess.RunAsync(folder, [.. verb, "--sources", "sources.json", "--data", "data",
            "--Storage:Provider=Postgres", $"--Storage:ConnectionString=Host=127.0.0.1;Port={port};Database=coopfeeds;Username=feeds;Password=hunter2"]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Cannot use the PostgreSQL database 'coopfeeds' on 127.0.0.1:{port} as 'feeds': Failed to connect", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line);
        Assert.Equal("", result.StandardOutput);
    }

    [Theory]
    [InlineData("Storage:Provider 'Oracle' is not a store; use Sqlite or Postgres.", "--Storage:Provider=Oracle")]
    [InlineData("Storage:Provider is Postgres, but Storage:ConnectionString is empty;", "--Storage:Provider=Postgres")]
    [InlineData("Storage:ConnectionString is not a valid Postgres connection string:", "--Storage:Provider=postgres", "--Storage:ConnectionString=Hots=db;Password=hunter2")]
    [InlineData("Storage:ConnectionString is not a valid Postgres connection string: Host is missing.", "--Storage:Provider=Postgres", "--Storage:ConnectionString=Database=coopfeeds;Password=hunter2")]
    [InlineData("Cannot use the SQLite database", "--Storage:ConnectionString=Data Source=no-such-folder/coopfeeds.db")]
    public async Task AWrongStorageSettingStopsServeWithOneLineNamingIt(string expected, params string[] settings)
    {
        var folder = CoopFeedsProcess.CopyOfSamples();

        var result = await CoopFeedsProcess.RunAsync(folder, ["serve", "--sources", "sources.json", "--data", "data", "--urls", "http://127.0.0.1:0", .. settings]);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line);
        Assert.False(Directory.Exists(Path.Combine(folder, "data")), "nothing may start before the store is usable");
    }
}
