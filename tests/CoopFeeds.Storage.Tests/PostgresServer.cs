using Npgsql;

namespace CoopFeeds.Storage.Tests;

/// <summary>
/// The PostgreSQL server the tests use: <c>COOPFEEDS_TEST_POSTGRES</c> holds an Npgsql connection string for a user who
/// may CREATE DATABASE (./test.sh starts a throwaway server and sets it). Each test gets a database of its own, dropped
/// afterwards. Without the variable a PostgreSQL test is skipped, saying why; on CI (<c>CI=true</c>) it fails instead,
/// so a CI run never passes with the PostgreSQL half of the suite silently left out.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "COOPFEEDS_TEST_POSTGRES";

    /// <summary>
    /// The default collation of the databases the contract runs on: a linguistic one (as most servers have), under which
    /// "a" sorts before "B", so the tests see that the store orders ids and sections bytewise, as SQLite does.
    /// </summary>
    public const string Linguistic = "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'";

    /// <summary>The C locale, under which a plain lower() folds ASCII only.</summary>
    public const string CLocale = "LOCALE 'C'";

    /// <summary>A new, empty UTF8 database; returns its connection string.</summary>
    /// <param name="options">What follows ENCODING in CREATE DATABASE: its locale (<see cref="Linguistic"/>, <see cref="CLocale"/>).</param>
    /// <param name="encoding">UTF8, or another to see it refused.</param>
    public static async Task<string> CreateDatabaseAsync(string options = Linguistic, string encoding = "UTF8")
    {
        var server = ServerConnectionString();
        var name = "coopfeeds_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING '{encoding}' {options};", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
    }

    /// <summary>Drops the database <paramref name="connectionString"/> names, closing whatever connections are left on it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE);", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string ServerConnectionString()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(server))
        {
            return server;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set, but CI=true: the PostgreSQL tests must run on CI. ./test.sh starts a server and sets it.");
        }

        throw new SkipException($"{Variable} is not set: no PostgreSQL server to test on (./test.sh starts one and sets it).");
    }
}
