using System.Data.Common;

namespace CoopFeeds.Storage;

/// <summary>
/// Plain ADO.NET over any provider: a command with named parameters (<c>@name</c>, which SQLite and Npgsql both read),
/// run for its effect, its first value or its rows. Values travel as parameters; only parameter names are ever built.
/// A null value goes untyped, so it may stand only where a column gives it a type (<c>col = @x</c>, a VALUES slot):
/// PostgreSQL cannot type <c>@x IS NULL</c>, so optional filters are separate statements.
/// </summary>
internal static class DbCommands
{
    public static DbCommand CreateCommand(this DbConnection connection, DbTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public static async Task<int> ExecuteAsync(this DbConnection connection, DbTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<object?> ScalarAsync(this DbConnection connection, DbTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    public static async Task<List<T>> ReadAllAsync<T>(this DbConnection connection, DbTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The first row read with <paramref name="read"/>, or null when there is none.</summary>
    public static async Task<T?> ReadFirstAsync<T>(this DbConnection connection, DbTransaction? transaction, string sql,
        IEnumerable<(string Name, object? Value)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var command = connection.CreateCommand(transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }
}
