namespace CoopFeeds.Tests;

/// <summary>Finds files of the repository from a test's output folder.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");
    public static string SampleSources => Path.Combine(Samples, "sources.json");

    public static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoopFeeds.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("CoopFeeds.sln not found above " + AppContext.BaseDirectory);
    }
}
