using CoopFeeds.Storage;
using CoopFeeds.Telemetry;

namespace CoopFeeds.Status;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: the first ingest pass has finished (or the store already held
/// every source, or Ingestion:ReadyTimeout passed; see <see cref="IngestionReadiness"/>) and the store answers.
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

    private static async Task<IResult> ReadyAsync(IngestionReadiness readiness, IItemStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!readiness.IsReady)
            return TypedResults.Text("starting: the first ingest pass has not finished\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        try
        {
            await store.GetVersionAsync(cancellationToken);
            return TypedResults.Text("ready\n");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            loggers.CreateLogger(typeof(HealthEndpoints)).LogWarning(ex, "The store does not answer");
            return TypedResults.Text("not ready: the store does not answer\n", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
