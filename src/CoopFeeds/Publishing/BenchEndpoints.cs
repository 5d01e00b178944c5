using System.Collections.Concurrent;

namespace CoopFeeds.Publishing;

/// <summary>
/// Benchmarks only (Publishing:BenchStaticEndpoint=true): <c>/bench/static/{length}</c> answers a fixed byte array of that
/// length, with a fixed ETag and a 304 on a match — the least a server can do — so bench/ can compare the feed path against it.
/// </summary>
public static class BenchEndpoints
{
    private const string StaticTag = "\"static-bytes\"";
    private static readonly ConcurrentDictionary<int, byte[]> Bodies = new();

    public static IEndpointRouteBuilder MapBenchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/bench/static/{length:int:range(1,10000000)}", StaticBytes);
        return app;
    }

    private static IResult StaticBytes(int length, HttpContext context)
    {
        var body = Bodies.GetOrAdd(length, n => new byte[n]);
        context.Response.Headers.ETag = StaticTag;
        if (context.Request.Headers.IfNoneMatch == StaticTag) return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(body, "application/rss+xml; charset=utf-8");
    }
}
