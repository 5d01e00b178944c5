using System.Diagnostics;

namespace CoopFeeds.Tests.Cli;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs the real executable, as a maintainer would, and captures what it prints.</summary>
internal static class CoopFeedsProcess
{
    public static Task<ProcessResult> RunAsync(string workingDirectory, params string[] args) => RunExecutableAsync(executable: null, workingDirectory, args);

    /// <summary>As <see cref="RunAsync(string, string[])"/>, with <paramref name="executable"/> (the native build) when given.</summary>
    public static async Task<ProcessResult> RunExecutableAsync(string? executable, string workingDirectory, params string[] args)
    {
        var start = StartInfo(executable);
        start.WorkingDirectory = workingDirectory;
        foreach (var arg in args) start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// How to start the service with its output captured: the build these tests are part of (<c>dotnet CoopFeeds.dll</c>),
    /// or <paramref name="executable"/>, the natively compiled one, when given. Warnings and worse only are logged.
    /// </summary>
    public static ProcessStartInfo StartInfo(string? executable)
    {
        var start = new ProcessStartInfo(executable ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (executable is null) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CoopFeeds.dll"));
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    /// <summary>A scratch folder with a copy of the samples, so a test may edit them freely.</summary>
    public static string CopyOfSamples()
    {
        var folder = Directory.CreateTempSubdirectory("coopfeeds-cli-").FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.Samples, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(RepoPaths.Samples, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return folder;
    }
}
