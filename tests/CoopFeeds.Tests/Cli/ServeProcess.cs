using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CoopFeeds.Tests.Cli;

/// <summary>
/// The real service (<c>dotnet CoopFeeds.dll serve</c>) as a child process on a loopback port of its own choosing, as a
/// deployment runs it: killed with SIGKILL (no shutdown, no rollback but the store's own) or when disposed.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _output;
    private readonly Task<string> _errors;

    private ServeProcess(Process process)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        _output = ReadOutputAsync();
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>What it wrote on stderr, once it has exited.</summary>
    public Task<string> Errors => _errors;

    /// <summary>A client for its address (known once <see cref="StartAsync"/> returned with <c>waitForAddress</c>).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>
    /// Starts <c>serve</c>; with <paramref name="waitForAddress"/>, waits (on its log line, with a deadline) until it listens.
    /// The build the tests are part of, on the .NET runtime, unless <paramref name="executable"/> names another (the native one).
    /// </summary>
    public static async Task<ServeProcess> StartAsync(string sourcesPath, string data, IEnumerable<string> settings, bool waitForAddress = false, string? executable = null)
    {
        var start = CoopFeedsProcess.StartInfo(executable);
        foreach (var arg in new[] { "serve", "--sources", sourcesPath, "--data", data, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var setting in settings) start.ArgumentList.Add(setting);
        // The one line that says where it listens.
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        start.Environment["Logging__Console__IncludeScopes"] = "false";

        var serve = new ServeProcess(Process.Start(start)!);
        if (waitForAddress)
        {
            try
            {
                var address = await serve._address.Task.WaitAsync(TimeSpan.FromMinutes(1));
                serve.Client = new HttpClient { BaseAddress = address };
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                // Read before disposing: a disposed Process no longer says whether it exited.
                var reason = serve.HasExited ? await serve._errors : ex.Message;
                await serve.DisposeAsync();
                throw new InvalidOperationException($"serve did not start: {reason}", ex);
            }
        }

        return serve;
    }

    /// <summary>SIGKILL, and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        await _output;
        Client?.Dispose();
        _process.Dispose();
    }

    private async Task ReadOutputAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (Listening().Match(line) is { Success: true } match) _address.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
        _address.TrySetException(new InvalidOperationException("serve exited before it listened"));
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
