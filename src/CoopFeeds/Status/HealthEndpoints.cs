using CoopFeeds.Sources;
using CoopFeeds.Storage;
using CoopFeeds.Telemetry;

namespace CoopFeeds.Status;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: every enabled source has a stored state, whichever instance ran it
/// (or Ingestion:ReadyTimeout passed; see <see cref="IngestionReadiness"/>), and the store answers.
/// A failing source site fails neither: a load balancer must not pull an instance because someone else's site is down.
/// </summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], () => TypedResults.Text("ok\n"));
        app.MapMethods("/readyz", [HttpMethods.Get, HttpMethods.Head], ReadyAsync);
        return app;
    }

    private static async Task<IResult> ReadyAsync(
        IngestionReadiness readiness, SourceCatalogProvider catalogs, IItemStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            if (readiness.IsReady)
            {
                await store.GetVersionAsync(cancellationToken);
                return TypedResults.Text("ready\n");
            }

            // Another instance may be running the sources this one has not: ask the store, which every instance shares.
            var stored = (await store.GetSourceStatesAsync(cancellationToken)).Select(s => s.SourceId).ToHashSet(StringComparer.Ordinal);
            var missing = catalogs.Current.Sources.Count(s => s.Definition.Enabled && !stored.Contains(s.Id));
            if (missing > 0)
                return TypedResults.Text($"starting: {missing} enabled sources have no stored state yet\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            readiness.MarkReady();
            return TypedResults.Text("ready\n");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning(ex, "The store does not answer");
            return TypedResults.Text("not ready: the store does not answer\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
