using System.Globalization;
using Npgsql;

namespace CoopFeeds.Storage.Postgres;

/// <summary>
/// A connection of its own LISTENing on the store's channel (<see cref="PostgresItemStore.ListenAsync"/>): every write
/// committed to the database, by any process, sends one notification carrying the store version after it. One reader at
/// a time waits on it. When its connection drops (a server restart, <c>pg_terminate_backend</c>, a network that stops
/// answering the keepalives), <see cref="NextAsync"/> throws a <see cref="System.Data.Common.DbException"/>: what was sent
/// meanwhile is lost, so a new listener reads the version once before it trusts notifications again.
/// </summary>
public sealed class PostgresStoreListener : IAsyncDisposable
{
    /// <summary>Shown in <c>pg_stat_activity</c>, so an operator can tell the listening connections from the pooled ones.</summary>
    public const string ApplicationName = "CoopFeeds listener";

    /// <summary>
    /// Seconds of silence before a keepalive query, unless the connection string sets one: a connection that only waits
    /// would otherwise never learn that the network under it died.
    /// </summary>
    private const int KeepAliveSeconds = 30;

    private readonly NpgsqlConnection _connection;

    // Set by the Notification event, which Npgsql raises inside WaitAsync on the waiting reader's own call.
    private long? _newest;

    private PostgresStoreListener(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Notification += (_, notification) =>
        {
            if (long.TryParse(notification.Payload, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                _newest = Math.Max(_newest ?? version, version);
        };
    }

    /// <summary>
    /// The store's connection string for a listener: its own unpooled connection (it is held for as long as it listens, and
    /// must not come back to the pool with a LISTEN on it), with a keepalive and a name of its own.
    /// </summary>
    internal static string ConnectionStringFor(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        if (settings.KeepAlive == 0) settings.KeepAlive = KeepAliveSeconds;
        settings.ApplicationName ??= ApplicationName;
        return settings.ConnectionString;
    }

    internal static async Task<PostgresStoreListener> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var listener = new PostgresStoreListener(connection);
            await connection.ExecuteAsync(null, $"LISTEN {PostgresItemStore.NotificationChannel};", [], cancellationToken);
            return listener;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits for the next committed write and returns the store version after it; when several were committed since the last
    /// call, the newest of their versions (a listener wants to know where the store stands, not each step).
    /// </summary>
    /// <exception cref="System.Data.Common.DbException">The connection dropped; this listener is done.</exception>
    public async Task<long> NextAsync(CancellationToken cancellationToken)
    {
        while (_newest is null) await _connection.WaitAsync(cancellationToken);
        var version = _newest.Value;
        _newest = null;
        return version;
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
