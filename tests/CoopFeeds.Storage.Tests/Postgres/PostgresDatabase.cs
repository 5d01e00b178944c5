using Npgsql;

namespace CoopFeeds.Storage.Tests.Postgres;

/// <summary>
/// An empty PostgreSQL database of a test's own on the server in <c>COOPFEEDS_TEST_POSTGRES</c>, dropped when disposed, so
/// tests run in parallel without seeing each other's data. Create it in a <c>[SkippableFact]</c>: without a server the test
/// is then reported as skipped with the reason (under CI it fails instead).
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private PostgresDatabase(string serverConnectionString, string name)
    {
        ServerConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>The server's own connection string (its maintenance database), where databases are created and dropped.</summary>
    public string ServerConnectionString { get; }

    /// <summary>The server's connection string with this database in it: what a store under test is given.</summary>
    public string ConnectionString { get; }

    public static Task<PostgresDatabase> CreateAsync() => CreateAsync(PostgresTestServer.FromEnvironment);

    public static async Task<PostgresDatabase> CreateAsync(PostgresServerDecision server)
    {
        var connectionString = server switch
        {
            PostgresServerDecision.UseServer use => use.ConnectionString,
            PostgresServerDecision.SkipTests skip => throw new SkipException(skip.Reason),
            PostgresServerDecision.FailTests fail => throw new InvalidOperationException(fail.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(server)),
        };
        var database = new PostgresDatabase(connectionString, $"coopfeeds_test_{Guid.NewGuid():N}");
        // template0: nothing that someone added to template1 leaks in, and no session on template1 can block the copy.
        await database.ExecuteOnServerAsync($"""CREATE DATABASE "{database.Name}" TEMPLATE template0;""");
        return database;
    }

    /// <summary>A connection of its own for what a store does not expose (crafted schemas, catalog queries).</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        // FORCE ends the sessions a store still holds open, which the pool would otherwise keep until the process exits.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await ExecuteOnServerAsync($"""DROP DATABASE IF EXISTS "{Name}" WITH (FORCE);""");
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        try
        {
            await connection.OpenAsync();
        }
        catch (NpgsqlException error)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL server in {PostgresTestServer.Variable} ({connection.Host}:{connection.Port}) cannot be reached: {error.Message}", error);
        }

        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
