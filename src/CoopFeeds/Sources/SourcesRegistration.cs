namespace CoopFeeds.Sources;

public static class SourcesRegistration
{
    /// <summary>
    /// Reads and validates the sources file now, so a broken file stops the start before anything runs;
    /// <paramref name="watch"/> reloads it on change (serve only).
    /// </summary>
    public static IHostApplicationBuilder AddSourceCatalog(this IHostApplicationBuilder builder, string sourcesPath, bool watch = false)
    {
        builder.Services.AddSingleton(SourceCatalogProvider.Load(
            sourcesPath, SourceIntervalOptions.ReadMinInterval(builder.Configuration), SourcesOptions.FileRootIn(builder.Configuration)));
        if (watch)
        {
            builder.Services.AddOptions<SourcesOptions>()
                .Bind(builder.Configuration.GetSection(SourcesOptions.Section))
                .Validate(o => o.ReloadInterval > TimeSpan.Zero, "Sources:ReloadInterval must be positive")
                .ValidateOnStart();
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<SourceCatalogWatcher>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<SourceCatalogWatcher>());
        }
        return builder;
    }
}
