using CoopFeeds.Storage;
using CoopFeeds.Storage.Sqlite;

namespace CoopFeeds.StorageSetup;

/// <summary>Settings under <c>Storage:</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>When unset, SQLite uses <c>DATA/coopfeeds.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public enum StorageProvider
{
    Sqlite,
    Postgres,
}

public static class StorageRegistration
{
    public const string DefaultFileName = "coopfeeds.db";

    public static IHostApplicationBuilder AddItemStore(this IHostApplicationBuilder builder, string dataDirectory)
    {
        var options = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddSingleton<IItemStore>(services =>
        {
            switch (options.Provider)
            {
                case StorageProvider.Sqlite when string.IsNullOrWhiteSpace(options.ConnectionString):
                    Directory.CreateDirectory(dataDirectory);
                    return SqliteItemStore.ForFile(Path.Combine(dataDirectory, DefaultFileName));
                case StorageProvider.Sqlite:
                    return new SqliteItemStore(options.ConnectionString!);
                default:
                    throw new InvalidOperationException(
                        $"Storage:Provider '{options.Provider}' is not available in this build; use Sqlite.");
            }
        });
        builder.Services.AddHostedService<StoreMigrator>();
        return builder;
    }
}

/// <summary>Brings the schema up to date before anything else starts.</summary>
internal sealed class StoreMigrator(IItemStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
