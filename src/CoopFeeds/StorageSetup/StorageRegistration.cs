using CoopFeeds.Storage;
using CoopFeeds.Storage.Postgres;
using CoopFeeds.Storage.Sqlite;

namespace CoopFeeds.StorageSetup;

/// <summary>The stores <c>Storage:Provider</c> may name.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file, <c>DATA/coopfeeds.db</c> unless <c>Storage:ConnectionString</c> says otherwise (the default).</summary>
    Sqlite,

    /// <summary>One PostgreSQL database, named by <c>Storage:ConnectionString</c> (an Npgsql connection string).</summary>
    Postgres,
}

public static class StorageRegistration
{
    /// <summary>Settings under <c>Storage:</c>: <c>Provider</c> and <c>ConnectionString</c>.</summary>
    public const string Section = "Storage";

    public const string DefaultFileName = "coopfeeds.db";

    /// <summary>
    /// Registers the store the settings name. The settings are checked here, so a wrong one stops the start before
    /// anything runs, with a <see cref="StoreUnavailableException"/> that says which and why.
    /// </summary>
    public static IHostApplicationBuilder AddItemStore(this IHostApplicationBuilder builder, string dataDirectory)
    {
        var settings = builder.Configuration.GetSection(Section);
        var (store, folder) = CreateStore(settings["Provider"], settings["ConnectionString"], dataDirectory);
        builder.Services.AddSingleton(_ =>
        {
            if (folder is not null) Directory.CreateDirectory(folder);
            // Handed out by a factory, so the container disposes it at the end (PostgreSQL's connection pool).
            return store;
        });
        builder.Services.AddHostedService<StoreMigrator>();
        return builder;
    }

    /// <summary>
    /// Migrates the store before the host starts (the host migrates it again at start, which is then a no-op): a store
    /// that cannot be used stops the command line with the one line of its <see cref="StoreUnavailableException"/>, where
    /// a failure inside the host's start would also be logged with a stack trace.
    /// </summary>
    public static Task MigrateItemStoreAsync(this IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<IItemStore>().MigrateAsync(cancellationToken);

    private static (IItemStore Store, string? Folder) CreateStore(string? providerName, string? connectionString, string dataDirectory)
    {
        if (!Enum.TryParse<StorageProvider>(providerName ?? nameof(StorageProvider.Sqlite), ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
        {
            throw new StoreUnavailableException(
                $"Storage:Provider '{providerName}' is not a store; use {string.Join(" or ", Enum.GetNames<StorageProvider>())}.");
        }

        var unset = string.IsNullOrWhiteSpace(connectionString);
        try
        {
            return provider switch
            {
                StorageProvider.Sqlite when unset => (SqliteItemStore.ForFile(Path.Combine(dataDirectory, DefaultFileName)), dataDirectory),
                StorageProvider.Sqlite => (new SqliteItemStore(connectionString!), null),
                StorageProvider.Postgres when unset => throw new StoreUnavailableException(
                    "Storage:Provider is Postgres, but Storage:ConnectionString is empty; give an Npgsql connection string "
                    + "such as \"Host=db.example.org;Database=coopfeeds;Username=coopfeeds;Password=…\"."),
                _ => (new PostgresItemStore(connectionString!), null),
            };
        }
        catch (ArgumentException ex)
        {
            // The parsers' messages name the keyword or value at fault, never the whole string (it may hold a password).
            var fault = ex is ArgumentNullException { ParamName: { } missing } ? $"{missing} is missing" : ex.Message;
            throw new StoreUnavailableException($"Storage:ConnectionString is not a valid {provider} connection string: {fault}.", ex);
        }
    }
}

/// <summary>Brings the schema up to date before anything else starts.</summary>
internal sealed class StoreMigrator(IItemStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
