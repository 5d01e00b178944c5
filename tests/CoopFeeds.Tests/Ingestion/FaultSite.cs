using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// A real Kestrel server on a loopback port that misbehaves on request: each path answers with whatever handler the test
/// sets, and can be switched between runs (500 then recover, markup changes, walls, redirects, endless bodies…).
/// </summary>
internal sealed class FaultSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);

    private FaultSite(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request seen: path, User-Agent and If-None-Match.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>The site's robots.txt; null answers <see cref="RobotsStatus"/>.</summary>
    public string? RobotsTxt { get; set; } = "User-agent: *\nDisallow: /private/\n";

    public int RobotsStatus { get; set; } = 404;

    public static async Task<FaultSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new FaultSite(app);
        app.Run(site.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site.BaseAddress = new Uri(address + "/");
        return site;
    }

    public Uri Url(string path) => new(BaseAddress, path.TrimStart('/'));

    public void Serve(string path, RequestDelegate handler) => _routes[path] = handler;

    public int CountRequests(string path) => Requests.Count(r => r.Path == path);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(new SeenRequest(path, context.Request.Headers.UserAgent.ToString(), context.Request.Headers.IfNoneMatch.ToString()));
        if (path == "/robots.txt")
        {
            if (RobotsTxt is null)
            {
                context.Response.StatusCode = RobotsStatus;
                return;
            }
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(RobotsTxt);
            return;
        }
        if (_routes.TryGetValue(path, out var handler))
        {
            await handler(context);
            return;
        }
        context.Response.StatusCode = 404;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed record SeenRequest(string Path, string UserAgent, string IfNoneMatch);

    // Handlers ------------------------------------------------------------------------------------------------------

    public static RequestDelegate Html(string html, string contentType = "text/html; charset=utf-8", string? etag = null) =>
        Bytes(Encoding.UTF8.GetBytes(html), contentType, etag);

    public static RequestDelegate Bytes(byte[] body, string? contentType, string? etag = null) => async context =>
    {
        if (etag is not null)
        {
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                context.Response.StatusCode = 304;
                return;
            }
        }
        if (contentType is not null) context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(body);
    };

    public static RequestDelegate Status(int status, string? retryAfter = null) => context =>
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
        return context.Response.WriteAsync($"status {status}");
    };

    public static RequestDelegate Redirect(string location, int status = 302) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    /// <summary>Never answers: waits until the client gives up.</summary>
    public static RequestDelegate Hang() => async context =>
    {
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    };

    /// <summary>Headers at once, then a body that never ends (no Content-Length), until the client stops reading.</summary>
    public static RequestDelegate EndlessBody() => async context =>
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        var chunk = Encoding.ASCII.GetBytes("<p>" + new string('x', 8188) + "</p>");
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    };

    /// <summary>Each request answers with the next handler; the last one repeats.</summary>
    public static RequestDelegate Sequence(params RequestDelegate[] handlers)
    {
        var index = -1;
        return context => handlers[Math.Min(Interlocked.Increment(ref index), handlers.Length - 1)](context);
    }

    // Pages ---------------------------------------------------------------------------------------------------------

    /// <summary>A listing page of <paramref name="count"/> items numbered from <paramref name="first"/>, newest first.</summary>
    public static string Listing(int count, int first = 1, string itemClass = "item", string title = "Cooperative news")
    {
        var html = new StringBuilder($"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1><ul>");
        for (var n = first + count - 1; n >= first; n--)
        {
            html.Append($"<li class=\"{itemClass}\"><a href=\"/news/{n}\">News number {n}</a> <time datetime=\"2025-01-{1 + n % 28:00}\">{1 + n % 28} January 2025</time><p class=\"summary\">Summary of news {n}.</p></li>");
        }
        return html.Append("</ul></body></html>").ToString();
    }
}
