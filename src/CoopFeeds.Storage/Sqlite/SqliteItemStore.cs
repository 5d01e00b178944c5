using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CoopFeeds.Storage.Sqlite;

/// <summary>
/// The store for one machine: a SQLite file in WAL mode, a pooled connection per operation (so it is thread-safe) and
/// every write — a save, a purge, taking a lease — in one <c>BEGIN IMMEDIATE</c> transaction, which makes writers take turns
/// from its start, across processes too.
/// </summary>
public sealed class SqliteItemStore : SqlItemStore
{
    /// <summary>How long a connection waits for another writer before giving up (SQLite's busy handler).</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Case folding for category and text filters, done in .NET because SQLite's lower() knows only ASCII.</summary>
    private const string FoldFunction = "coop_fold";

    private static readonly SqlDialect Dialect = new()
    {
        Fold = expression => $"{FoldFunction}({expression})",
        Contains = (haystack, needle) => $"instr({haystack}, {needle}) > 0",
        LockLeaseRow = "",
        RowsPerInsert = 1,
    };

    private readonly string _connectionString;

    /// <summary>This store's writers, one at a time: see <see cref="TakeWriteTurnAsync"/>.</summary>
    private readonly SemaphoreSlim _writeTurns = new(1, 1);

    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string; pooling stays on unless it says otherwise.</param>
    /// <exception cref="ArgumentException">The connection string has an unknown keyword or a bad value.</exception>
    public SqliteItemStore(string connectionString) : base(Dialect)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = new SqliteConnectionStringBuilder(connectionString).ToString();
    }

    /// <summary>A store in the SQLite file at <paramref name="path"/>, created by <see cref="MigrateAsync"/> if missing (its folder must exist).</summary>
    public static SqliteItemStore ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        };
        return new SqliteItemStore(builder.ToString());
    }

    /// <exception cref="StoreUnavailableException">The file cannot be opened or written, or its schema is newer than this build.</exception>
    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenSqliteAsync(cancellationToken);
            await SqliteMigrations.ApplyAsync(connection, cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"Cannot use the SQLite database {Describe()}: {ex.Message}", ex);
        }
    }

    private protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await OpenSqliteAsync(cancellationToken);

    private protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(IsolationLevel.Serializable, deferred: false));

    // SQLite has one writer at a time: a lease is read and taken inside BEGIN IMMEDIATE, so `ingest` beside `serve` on one
    // file (or two processes) never both take one.
    private protected override Task<DbTransaction> BeginLeaseAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginWriteAsync(connection, cancellationToken);

    /// <summary>
    /// SQLite lets one writer in at a time, and one that finds the lock taken sleeps in its busy handler, 1 ms at first
    /// and up to 100 ms between tries, so the lock can sit idle long after the write holding it is done: during an ingest
    /// pass, with several runs saving at once, the process then used well under its cores. This process's writers queue
    /// here instead and start the moment the one before them ends; the busy handler is left for other processes on the
    /// same file (<c>ingest</c> beside <c>serve</c>).
    /// </summary>
    private protected override ValueTask<WriteTurn> TakeWriteTurnAsync(CancellationToken cancellationToken) =>
        WriteTurn.TakeAsync(_writeTurns, cancellationToken);

    /// <summary>The file, for messages.</summary>
    private string Describe() => $"'{new SqliteConnectionStringBuilder(_connectionString).DataSource}'";

    /// <summary>The native connections that have <see cref="FoldFunction"/> already; a pooled one keeps it while it lives.</summary>
    private static readonly ConditionalWeakTable<sqlite3, object> Folding = [];

    /// <summary>
    /// Registers <see cref="FoldFunction"/> on the native connection, once: not with <c>SqliteConnection.CreateFunction</c>,
    /// which registers it anew at every open and removes it again as the connection goes back to the pool. SQLite refuses
    /// that removal while any statement of the connection is still running ("unable to delete/modify user-function due to
    /// active statements"), and then <c>Close</c> throws after the work committed: seen once in a pass of 1,000 sources,
    /// where it failed a run whose lease had been taken.
    /// </summary>
    private static void AddFoldFunction(sqlite3 handle)
    {
        if (Folding.TryGetValue(handle, out _)) return;
        var rc = raw.sqlite3_create_function(handle, FoldFunction, 1, raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC, null, Fold);
        if (rc != raw.SQLITE_OK) throw new SqliteException($"SQLite Error {rc}: cannot register {FoldFunction}: {raw.sqlite3_errmsg(handle).utf8_to_string()}", rc);
        Folding.AddOrUpdate(handle, FoldFunction);
    }

    private static void Fold(sqlite3_context context, object userData, sqlite3_value[] arguments)
    {
        if (raw.sqlite3_value_type(arguments[0]) == raw.SQLITE_NULL)
        {
            raw.sqlite3_result_null(context);
            return;
        }

        raw.sqlite3_result_text(context, raw.sqlite3_value_text(arguments[0]).utf8_to_string().ToLowerInvariant());
    }

    private async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per connection, not persistent: set on every open (pooled connections keep them, setting again is cheap).
            await connection.ExecuteAsync(null,
                $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;", [], cancellationToken);
            AddFoldFunction(connection.Handle!);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
