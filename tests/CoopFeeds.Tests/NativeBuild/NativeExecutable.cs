namespace CoopFeeds.Tests.NativeBuild;

/// <summary>
/// The service compiled ahead of time, as the container image ships it: <c>./test.sh</c> publishes it and names it in
/// <c>COOPFEEDS_TEST_NATIVE</c>. Without it its tests are skipped, saying why; on CI (<c>CI=true</c>) they fail instead, so a
/// CI run never passes without the binary users run having been tried.
/// </summary>
internal static class NativeExecutable
{
    public const string Variable = "COOPFEEDS_TEST_NATIVE";

    /// <summary>The executable's path; skips the test (fails it on CI) when there is none.</summary>
    public static string Path
    {
        get
        {
            var path = Environment.GetEnvironmentVariable(Variable);
            if (!string.IsNullOrEmpty(path) && File.Exists(path)) return path;

            var missing = string.IsNullOrEmpty(path)
                ? $"{Variable} is not set: no native build to test (./test.sh publishes one: dotnet publish src/CoopFeeds -c Release --use-current-runtime)."
                : $"{Variable} names {path}, which does not exist.";
            var ci = Environment.GetEnvironmentVariable("CI");
            if (string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1")
                throw new InvalidOperationException(missing + " CI=true: the native build must be tested on CI.");
            throw new SkipException(missing);
        }
    }
}
