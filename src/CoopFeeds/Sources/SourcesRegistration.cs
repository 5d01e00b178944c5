namespace CoopFeeds.Sources;

public static class SourcesRegistration
{
    /// <summary>Reads and validates the sources file now, so a broken file stops the start before anything runs.</summary>
    public static IHostApplicationBuilder AddSourceCatalog(this IHostApplicationBuilder builder, string sourcesPath)
    {
        builder.Services.AddSingleton(SourceCatalogProvider.Load(sourcesPath));
        return builder;
    }
}
