using System.Data;
using System.Data.Common;
using Npgsql;

namespace CoopFeeds.Storage.Postgres;

/// <summary>
/// The store for several instances: one PostgreSQL database (UTF8; any locale), pooled connections from one data source,
/// and every write in a transaction that first takes one advisory lock, so writers take turns (positions are "the
/// largest + 1") whichever process they run in, while readers never wait. Every write, as it commits, notifies the
/// processes listening on the database (<see cref="ListenAsync"/>), so their caches need not wait for a poll.
/// </summary>
public sealed class PostgresItemStore : SqlItemStore, IAsyncDisposable, IDisposable
{
    /// <summary>The transaction lock every write takes first (one per database: stores in other databases never wait on it).</summary>
    private const long WriteLockKey = 0x436F_6F70_5772_6974; // "CoopWrit"

    private static readonly SqlDialect Dialect = new()
    {
        // lower() folds by its collation's rules: ICU's know all of Unicode, whatever the database's locale (in a database
        // created with the C locale, plain lower() folds ASCII only).
        Fold = expression => $"lower({expression} COLLATE \"{PostgresMigrations.FoldCollation}\")",
        Contains = (haystack, needle) => $"strpos({haystack}, {needle}) > 0",
        LockLeaseRow = "FOR UPDATE OF l SKIP LOCKED",
        // A 200-item page in one statement: 11 parameters a row, far below the protocol's 65,535.
        RowsPerInsert = 250,
    };

    /// <summary>The LISTEN/NOTIFY channel of the store's writes; one per database, as the write lock is.</summary>
    internal const string NotificationChannel = "coopfeeds_store";

    // Every write ends with this: the notification leaves at the commit (none on a rollback), after the version bump, so
    // its payload is the version a listener must have seen to be current. Identical payloads in one transaction make one.
    private const string NotifyWrite =
        $"SELECT pg_notify('{NotificationChannel}', version::text) FROM store_version WHERE id = 1;";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _listenerConnectionString;

    /// <param name="connectionString">An Npgsql connection string (Host, Port, Database, Username, Password…); nothing is opened yet.</param>
    /// <exception cref="ArgumentException">The connection string has an unknown keyword, a bad value, or no host.</exception>
    public PostgresItemStore(string connectionString) : base(Dialect)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _listenerConnectionString = PostgresStoreListener.ConnectionStringFor(connectionString);
    }

    /// <summary>
    /// Starts listening, on a connection of its own, for the writes committed to this database by any store object in any
    /// process (this one's included), from now on.
    /// </summary>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the login.</exception>
    public Task<PostgresStoreListener> ListenAsync(CancellationToken cancellationToken) =>
        PostgresStoreListener.OpenAsync(_listenerConnectionString, cancellationToken);

    /// <exception cref="StoreUnavailableException">The server cannot be reached or refuses the login, or the database cannot hold the schema.</exception>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await PostgresMigrations.ApplyAsync(connection, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            // A refused or timed-out connection says why in its inner exception ("Connection refused").
            var reason = ex.InnerException is { } inner && ex is not PostgresException ? $"{ex.Message} ({inner.Message})" : ex.Message;
            throw new StoreUnavailableException($"Cannot use the PostgreSQL database {Describe()}: {reason}", ex);
        }
    }

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    private protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Read committed suffices: every statement after the lock sees what the writers before this one committed.
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await connection.ExecuteAsync(transaction, "SELECT pg_advisory_xact_lock(@key);", [("@key", WriteLockKey)], cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    private protected override Task BeforeCommitAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(transaction, NotifyWrite, [], cancellationToken);

    // No write lock: taking a lease never waits on saves. Holders take turns on the lease row itself (LockLeaseRow).
    private protected override async Task<DbTransaction> BeginLeaseAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    /// <summary>Where the store is, for messages: host, port, database and user, never the password.</summary>
    private string Describe()
    {
        var settings = new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString);
        return $"'{settings.Database ?? settings.Username}' on {settings.Host}:{settings.Port} as '{settings.Username}'";
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
