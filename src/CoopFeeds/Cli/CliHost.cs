using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using CoopFeeds.StorageSetup;

namespace CoopFeeds.Cli;

/// <summary>The services the one-shot verbs need (no web server, no scheduler), configured like <c>serve</c>.</summary>
internal static class CliHost
{
    public static IHost Create(string? sourcesPath, string? dataDirectory, IReadOnlyList<string> configArgs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = configArgs.ToArray(),
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (sourcesPath is not null) builder.AddSourceCatalog(sourcesPath);
        if (dataDirectory is not null) builder.AddItemStore(dataDirectory);
        builder.AddIngestion(schedule: false);
        return builder.Build();
    }
}
