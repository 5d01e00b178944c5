using CoopFeeds.Storage.Tests;
using Npgsql;

namespace CoopFeeds.Tests.Postgres;

/// <summary>
/// A database of its own on the tests' PostgreSQL server (<see cref="PostgresServer"/>: skipped without one, failed on CI),
/// for services that share it as instances behind a load balancer would; dropped afterwards, with whatever is still connected.
/// </summary>
internal sealed class SharedDatabase : IAsyncDisposable
{
    private SharedDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    /// <summary>The settings that put a service on this database.</summary>
    public string[] Settings => ["--Storage:Provider=Postgres", $"--Storage:ConnectionString={ConnectionString}"];

    public static async Task<SharedDatabase> CreateAsync() => new(await PostgresServer.CreateDatabaseAsync());

    /// <summary>The first column of the rows <paramref name="sql"/> gives, as text.</summary>
    public async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }
}
