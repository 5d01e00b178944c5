using CoopFeeds.Ingestion;
using CoopFeeds.Publishing;
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
        // A verb prints its own results on stdout; logs go to stderr, warnings and worse only.
        // A provider rule outranks appsettings.json's "Logging:LogLevel:Default".
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
        // The resilience pipeline logs each retried failure with its stack trace; a verb names the fetch outcome itself.
        builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("Polly", LogLevel.None);
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        if (sourcesPath is not null) builder.AddSourceCatalog(sourcesPath);
        if (dataDirectory is not null) builder.AddItemStore(dataDirectory);
        // Without a store (preview, check), the ingestion services that write to one are registered but never asked for;
        // the Development environment's check of every registration at build would refuse them.
        else builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true }));
        builder.AddIngestion(schedule: false);
        // A verb that stores changes pings the WebSub hub for them itself: serve pings only for its own (StoreVerb).
        if (sourcesPath is not null && dataDirectory is not null) builder.AddHubPings();
        return builder.Build();
    }
}
