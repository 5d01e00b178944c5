using System.Net;
using System.Net.Sockets;
using CoopFeeds.Storage.Postgres;
using Npgsql;

namespace CoopFeeds.Storage.Tests;

/// <summary>A database of its own on the tests' PostgreSQL server (<see cref="PostgresServer"/>), dropped afterwards.</summary>
public sealed class PostgresTestDatabase : TestDatabase
{
    private readonly List<PostgresItemStore> _stores = [];

    private PostgresTestDatabase(string connectionString)
    {
        ConnectionString = connectionString;
        Store = Track(new PostgresItemStore(connectionString));
    }

    public string ConnectionString { get; }
    public override IItemStore Store { get; }
    public override int LatestSchemaVersion => 2;

    public static async Task<PostgresTestDatabase> CreateAsync(string options = PostgresServer.Linguistic, string encoding = "UTF8") =>
        new(await PostgresServer.CreateDatabaseAsync(options, encoding));

    public static (IItemStore Store, string Name) Unreachable()
    {
        // A port nothing listens on any more: every connection is refused at once.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        return (new PostgresItemStore($"Host=127.0.0.1;Port={port};Username=coopfeeds;Password=not-shown;Database=coopfeeds"), $"127.0.0.1:{port}");
    }

    public override IItemStore OpenStore() => Track(new PostgresItemStore(ConnectionString));

    public async Task<NpgsqlConnection> OpenRawConnectionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenRawConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task<List<string>> QueryAsync(string sql, string? section = null)
    {
        await using var connection = await OpenRawConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("@section", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("section", (object?)section ?? DBNull.Value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetValue(0).ToString()!);
        return rows;
    }

    public override async Task<long> ReadSchemaVersionAsync() => long.Parse((await QueryAsync("SELECT version FROM schema_version;")).Single());

    public override Task WriteSchemaVersionAsync(long version) => ExecuteAsync($"UPDATE schema_version SET version = {version};");

    public override async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await PostgresServer.DropDatabaseAsync(ConnectionString);
    }

    private PostgresItemStore Track(PostgresItemStore store)
    {
        _stores.Add(store);
        return store;
    }
}
