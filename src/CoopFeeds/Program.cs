using CoopFeeds.Cli;
using CoopFeeds.Ingestion;
using CoopFeeds.Publishing;
using CoopFeeds.Serving;
using CoopFeeds.Sources;
using CoopFeeds.Status;
using CoopFeeds.StorageSetup;
using CoopFeeds.Studio;

// CoopFeeds: listing pages in, RSS / Atom / JSON feeds out. `serve` is the default verb; the others are in Cli/.
return await CoopFeedsCommandLine.InvokeAsync(args);

public partial class Program
{
    /// <summary>The service that <c>serve</c> runs, one line per concern.</summary>
    /// <param name="replaceServices">Tests only: registrations made last, so they win (a fake clock).</param>
    public static WebApplication BuildWebApp(ServeSettings settings, string[] configArgs, Action<IServiceCollection>? replaceServices = null)
    {
        // appsettings.json ships beside the executable; the working directory is wherever the service was started.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configArgs, ContentRootPath = AppContext.BaseDirectory });
        if (settings.Urls is not null) builder.WebHost.UseUrls(settings.Urls);

        builder.AddSourceCatalog(settings.SourcesPath, watch: true);
        builder.AddItemStore(settings.DataDirectory);
        builder.AddIngestion(schedule: true);
        builder.AddServerLimits();
        builder.AddServing();
        builder.AddPublishing();
        builder.AddStatus();
        builder.AddStudio();
        builder.AddStudioPage();
        replaceServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseServing();
        app.MapHealthEndpoints();
        app.MapPublishing();
        app.MapStatusEndpoints();
        app.MapStudioApi();
        app.MapStudioPage();
        return app;
    }
}
