using CoopFeeds.Cli;
using CoopFeeds.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CoopFeeds.Tests;

/// <summary>
/// The real service on a loopback port with its own SQLite file in a temporary folder: one per test, never shared.
/// </summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ServiceHost(WebApplication app, string dataDirectory, Uri address)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    /// <summary>The folder of the service's SQLite file, for tests that act on it as another process would.</summary>
    public string DataDirectory => _dataDirectory;
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the service and waits (on a signal, not a timer) until its first ingest pass has finished.</summary>
    public static Task<ServiceHost> StartAsync(string? sourcesPath = null, params string[] configArgs) =>
        StartAsync(clock: null, sourcesPath, Directory.CreateTempSubdirectory("coopfeeds-test-").FullName, r => r.FirstPassCompleted, configArgs);

    /// <summary>As <see cref="StartAsync(string?, string[])"/>, with every timer of the service (sources file reloads, store
    /// version polls, the schedule) driven by <paramref name="clock"/> when given, so a test advances time instead of sleeping.</summary>
    public static Task<ServiceHost> StartWithClockAsync(TimeProvider? clock, string? sourcesPath, params string[] configArgs) =>
        StartAsync(clock, sourcesPath, Directory.CreateTempSubdirectory("coopfeeds-test-").FullName, r => r.FirstPassCompleted, configArgs);

    /// <summary>As <see cref="StartAsync(string?, string[])"/>, with <paramref name="services"/> added (a log capture).</summary>
    public static Task<ServiceHost> StartWithServicesAsync(Action<IServiceCollection> services, string? sourcesPath, params string[] configArgs) =>
        StartAsync(services, sourcesPath, Directory.CreateTempSubdirectory("coopfeeds-test-").FullName, r => r.FirstPassCompleted, configArgs);

    /// <summary>
    /// Starts the service on <paramref name="dataDirectory"/> (which it deletes when disposed) and waits only until
    /// <paramref name="started"/> says so, e.g. until it is ready while its first pass still runs.
    /// </summary>
    public static Task<ServiceHost> StartAsync(
        TimeProvider? clock, string? sourcesPath, string dataDirectory, Func<IngestionReadiness, Task> started, params string[] configArgs) =>
        StartAsync(clock is null ? null : services => services.AddSingleton(clock), sourcesPath, dataDirectory, started, configArgs);

    private static async Task<ServiceHost> StartAsync(
        Action<IServiceCollection>? services, string? sourcesPath, string dataDirectory, Func<IngestionReadiness, Task> started, string[] configArgs)
    {
        var data = dataDirectory;
        var app = Program.BuildWebApp(
            new ServeSettings(sourcesPath ?? RepoPaths.SampleSources, data, "http://127.0.0.1:0"),
            ["--Logging:LogLevel:Default=Warning", .. configArgs],
            services);
        await app.StartAsync();
        await started(app.Services.GetRequiredService<IngestionReadiness>()).WaitAsync(TimeSpan.FromMinutes(1));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServiceHost(app, data, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
