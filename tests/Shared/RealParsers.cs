using System.Diagnostics;
using System.Text.Json;

namespace CoopFeeds.Tests.Shared;

/// <summary>
/// Shared by both test projects (linked from tests/Shared). Runs the feed through tools readers and validators really use: feedparser (Debian python3-feedparser, via
/// tests/tools/feedcheck.py) and jing with RFC 4287's RELAX NG schema (tests/tools/atom.rnc).
/// A missing tool fails the test with the install command; set COOPFEEDS_SKIP_EXTERNAL=1 to skip these tests instead.
/// </summary>
internal static class RealParsers
{
    public const string SkipVariable = "COOPFEEDS_SKIP_EXTERNAL";

    /// <summary>Debian's interpreter on purpose: a pyenv or venv python3 on PATH does not see Debian's python3-feedparser.</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static bool Skipped => Environment.GetEnvironmentVariable(SkipVariable) == "1";

    /// <summary>The repository root: the nearest folder above the test binaries that holds CoopFeeds.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// Parses <paramref name="feed"/> with feedparser, asserting bozo == 0 and the expected version (rss20, atom10),
    /// and returns feedcheck.py's summary: version, title, link, entries[{id, title, link, published}].
    /// </summary>
    public static JsonElement FeedParser(byte[] feed, string contentType, string expectedVersion, Uri selfUrl)
    {
        if (!File.Exists(Python))
        {
            Assert.Fail($"{Python} not found. Install Debian's Python and feedparser (apt-get install -y python3-feedparser), "
                        + $"or set {SkipVariable}=1 to skip the external parser tests.");
        }

        var script = Path.Combine(RepoRoot, "tests", "tools", "feedcheck.py");
        using var file = new TemporaryFile(feed, expectedVersion == "atom10" ? ".atom" : ".rss");
        var (exitCode, stdout, stderr) = Run(Python, [script, file.Path, contentType, expectedVersion, selfUrl.AbsoluteUri]);
        switch (exitCode)
        {
            case 0:
                using (var summary = JsonDocument.Parse(stdout))
                {
                    return summary.RootElement.Clone();
                }

            case 3:
                Assert.Fail($"feedparser is missing: {stderr.Trim()} (or set {SkipVariable}=1 to skip the external parser tests)");
                break;
            default:
                Assert.Fail($"feedcheck.py exited with {exitCode}: {stderr.Trim()}{Environment.NewLine}{stdout}");
                break;
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Validates an Atom document against RFC 4287's RELAX NG schema with jing; fails with jing's messages.</summary>
    public static void AssertValidAtom(byte[] feed, Uri? selfUrl = null)
    {
        var jing = FindOnPath("jing") ?? FailMissing("jing not found on PATH. Install it with: apt-get install -y jing");
        var schema = Path.Combine(RepoRoot, "tests", "tools", "atom.rnc");
        using var file = new TemporaryFile(feed, ".atom");

        // jing prints validation errors on stdout; Debian's wrapper adds classpath notes on stderr that mean nothing here.
        var (exitCode, stdout, stderr) = Run(jing, ["-c", schema, file.Path]);
        Assert.True(exitCode == 0, $"jing -c atom.rnc rejected {selfUrl?.AbsoluteUri ?? "the document"} (exit {exitCode}):{Environment.NewLine}{stdout}{stderr}");
    }

    private static string FailMissing(string message)
    {
        Assert.Fail($"{message} (or set {SkipVariable}=1 to skip the external parser tests)");
        return "";
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Python would otherwise pick its stdout encoding from the locale.
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.StandardOutputEncoding = System.Text.Encoding.UTF8;
        start.StandardErrorEncoding = System.Text.Encoding.UTF8;

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

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoopFeeds.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No folder holding CoopFeeds.sln above {AppContext.BaseDirectory}");
    }

    private sealed class TemporaryFile : IDisposable
    {
        public TemporaryFile(byte[] content, string extension)
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"coopfeeds-{Guid.NewGuid():N}{extension}");
            File.WriteAllBytes(Path, content);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}

/// <summary>A fact that needs the external parsers: runs (and fails when a tool is missing) unless COOPFEEDS_SKIP_EXTERNAL=1.</summary>
public sealed class ExternalToolFactAttribute : FactAttribute
{
    public ExternalToolFactAttribute()
    {
        if (RealParsers.Skipped)
        {
            Skip = $"{RealParsers.SkipVariable}=1";
        }
    }
}

/// <summary>A theory that needs the external parsers: runs (and fails when a tool is missing) unless COOPFEEDS_SKIP_EXTERNAL=1.</summary>
public sealed class ExternalToolTheoryAttribute : TheoryAttribute
{
    public ExternalToolTheoryAttribute()
    {
        if (RealParsers.Skipped)
        {
            Skip = $"{RealParsers.SkipVariable}=1";
        }
    }
}
