using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// The faults that <see cref="FaultSite"/> (WireMock.Net) cannot stage, on a bare loopback Kestrel server. WireMock builds
/// each response whole and writes it in one go, so it can neither keep a body coming for ever nor break a connection
/// partway through one; both happen below HTTP's messages, here.
/// </summary>
internal sealed class TransportFaultSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TransportFaultSite(WebApplication app, Uri baseAddress)
    {
        _app = app;
        EndlessBody = new Uri(baseAddress, "endless");
        CutMidBody = new Uri(baseAddress, "cut");
    }

    /// <summary>Headers at once, then a body that never ends (no Content-Length), until the client stops reading.</summary>
    public Uri EndlessBody { get; }

    /// <summary>Promises a body of some length, sends half of it, and closes the connection.</summary>
    public Uri CutMidBody { get; }

    public static async Task<TransportFaultSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/endless", WriteEndlesslyAsync);
        app.MapGet("/cut", CutAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TransportFaultSite(app, new Uri(address + "/"));
    }

    private static async Task WriteEndlesslyAsync(HttpContext context)
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
    }

    /// <summary>
    /// Ends having written half the Content-Length it promised: Kestrel then closes the connection (the client could not
    /// tell where this body ends and the next response begins) once what was written has gone out. Aborting instead could
    /// drop the headers still queued, and the client would see a refused request rather than a broken body.
    /// </summary>
    private static async Task CutAsync(HttpContext context)
    {
        var page = Encoding.UTF8.GetBytes(FaultSite.Listing(20));
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.ContentLength = page.Length;
        await context.Response.Body.WriteAsync(page.AsMemory(0, page.Length / 2));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
