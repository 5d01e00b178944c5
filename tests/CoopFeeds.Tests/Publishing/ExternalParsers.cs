using System.Diagnostics;
using System.Text.Json;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// The tools readers and validators really use, on documents the running service served: feedparser (Debian
/// python3-feedparser, via tests/tools/feedcheck.py) and jing with RFC 4287's RELAX NG schema (tests/tools/atom.rnc).
/// The same approach as CoopFeeds.Core.Tests' RealParsers; a missing tool fails with the install command.
/// </summary>
internal static class ExternalParsers
{
    /// <summary>Debian's interpreter on purpose: a pyenv or venv python3 on PATH does not see Debian's python3-feedparser.</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Parses with feedparser, asserting bozo == 0 and the version (rss20, atom10); returns feedcheck.py's JSON summary.</summary>
    public static JsonElement FeedParser(byte[] feed, string contentType, string expectedVersion, Uri selfUrl)
    {
        Assert.True(File.Exists(Python), $"{Python} not found: apt-get install -y python3-feedparser");
        var script = Path.Combine(RepoPaths.Root, "tests", "tools", "feedcheck.py");
        using var file = new TemporaryFile(feed);
        var (exitCode, stdout, stderr) = Run(Python, [script, file.Path, contentType, expectedVersion, selfUrl.AbsoluteUri]);
        Assert.True(exitCode == 0, $"feedparser rejected {selfUrl} (exit {exitCode}): {stderr.Trim()}");
        using var summary = JsonDocument.Parse(stdout);
        return summary.RootElement.Clone();
    }

    /// <summary>Validates an Atom document against RFC 4287's RELAX NG schema with jing.</summary>
    public static void AssertValidAtom(byte[] feed, Uri selfUrl)
    {
        var jing = FindOnPath("jing");
        Assert.True(jing is not null, "jing not found on PATH: apt-get install -y jing");
        var schema = Path.Combine(RepoPaths.Root, "tests", "tools", "atom.rnc");
        using var file = new TemporaryFile(feed);
        var (exitCode, stdout, stderr) = Run(jing!, ["-c", schema, file.Path]);
        Assert.True(exitCode == 0, $"jing -c atom.rnc rejected {selfUrl} (exit {exitCode}):{Environment.NewLine}{stdout}{stderr}");
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish within {Timeout}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(directory => Path.Combine(directory, name))
        .FirstOrDefault(File.Exists);

    private sealed class TemporaryFile : IDisposable
    {
        public TemporaryFile(byte[] content)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"coopfeeds-{Guid.NewGuid():N}.xml");
            File.WriteAllBytes(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
