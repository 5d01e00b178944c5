namespace CoopFeeds.Storage.Tests;

/// <summary>The stores every contract test runs on.</summary>
public enum StoreKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A fresh database of one kind with a store on it (migrated unless asked otherwise), deleted afterwards, and what the
/// tests need beyond <see cref="IItemStore"/>: a second store object on the same database (as another process would
/// have), plain SQL read straight from it, and its schema version.
/// </summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract IItemStore Store { get; }

    /// <summary>The schema version this build migrates the database to.</summary>
    public abstract int LatestSchemaVersion { get; }

    public static async Task<TestDatabase> CreateAsync(StoreKind kind, bool migrate = true)
    {
        TestDatabase database = kind switch
        {
            StoreKind.Sqlite => SqliteTestDatabase.Create(),
            _ => await PostgresTestDatabase.CreateAsync(),
        };
        if (migrate)
        {
            await database.Store.MigrateAsync(CancellationToken.None);
        }

        return database;
    }

    /// <summary>A store of <paramref name="kind"/> on a database that cannot be reached, and the name its error must give.</summary>
    public static (IItemStore Store, string Name) Unreachable(StoreKind kind) => kind switch
    {
        StoreKind.Sqlite => SqliteTestDatabase.Unreachable(),
        _ => PostgresTestDatabase.Unreachable(),
    };

    /// <summary>Another store object on this database, as a second process (or host) would have; disposed with the database.</summary>
    public abstract IItemStore OpenStore();

    /// <summary>
    /// The first column of every row of <paramref name="sql"/>, as text, read straight from the database; <c>@section</c>
    /// in it is <paramref name="section"/>. The SQL must read alike on both engines.
    /// </summary>
    public abstract Task<List<string>> QueryAsync(string sql, string? section = null);

    public abstract Task<long> ReadSchemaVersionAsync();

    public abstract Task WriteSchemaVersionAsync(long version);

    public abstract ValueTask DisposeAsync();
}

/// <summary>A contract test class: written once against <see cref="IItemStore"/>, run per store by one subclass each (at the end of its file).</summary>
public abstract class StoreContract(StoreKind kind)
{
    protected static readonly CancellationToken None = CancellationToken.None;

    protected StoreKind Kind => kind;

    protected Task<TestDatabase> CreateDatabaseAsync(bool migrate = true) => TestDatabase.CreateAsync(kind, migrate);
}
