using Npgsql;

namespace CoopFeeds.Storage.Tests.Postgres;

/// <summary>
/// Where the PostgreSQL tests find their server: an Npgsql connection string in <c>COOPFEEDS_TEST_POSTGRES</c>, which
/// <c>./test.sh</c> sets to a throwaway server it starts. Without one the tests are skipped, except under CI, which must
/// run them: there a missing server fails the tests that need it.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "COOPFEEDS_TEST_POSTGRES";

    /// <summary>What this test process's environment decides.</summary>
    public static PostgresServerDecision FromEnvironment { get; } =
        Decide(Environment.GetEnvironmentVariable(Variable), Environment.GetEnvironmentVariable("CI"));

    public static PostgresServerDecision Decide(string? connectionString, string? ci)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return IsTrue(ci)
                ? new PostgresServerDecision.FailTests($"{Variable} is not set, and CI must run the PostgreSQL tests: run them through ./test.sh, which starts a server")
                : new PostgresServerDecision.SkipTests($"No PostgreSQL server: set {Variable} to an Npgsql connection string, or run ./test.sh, which starts one");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException error)
        {
            // A server was asked for, so a mistyped one is a failure even outside CI; the text is left out, as it may hold a password.
            return new PostgresServerDecision.FailTests($"{Variable} is not an Npgsql connection string: {error.Message}");
        }

        return new PostgresServerDecision.UseServer(connectionString);
    }

    // CI services set CI=true; some set 1.
    private static bool IsTrue(string? value) =>
        value is not null && (value.Trim() == "1" || (bool.TryParse(value.Trim(), out var flag) && flag));
}

/// <summary>Whether the PostgreSQL tests run, are skipped or fail, and why.</summary>
internal abstract record PostgresServerDecision
{
    private PostgresServerDecision()
    {
    }

    public sealed record UseServer(string ConnectionString) : PostgresServerDecision;

    public sealed record SkipTests(string Reason) : PostgresServerDecision;

    public sealed record FailTests(string Reason) : PostgresServerDecision;
}
