using CoopFeeds.Serving.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoopFeeds.Tests.Serving;

/// <summary>
/// A page is a Razor component, written either way with the services the service registers: to cached bytes
/// (<see cref="PageWriter"/>) or per request (<see cref="RazorComponentResult"/>, for a page that holds no data, once its
/// area adds <c>AddRazorComponents()</c>), with one encoder.
/// </summary>
public sealed class PageComponentTests
{
    private const string Text = "a+b </title><script>alert(1)</script>";
    private const string Encoded = "a+b &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;";

    [Fact]
    public async Task APageWrittenToBytesIsEncodedAndWhole()
    {
        await using var host = await ServiceHost.StartAsync();

        var page = await host.Services.GetRequiredService<PageWriter>().WriteAsync<PageShell>(Parameters(), lastModified: null, TimeSpan.Zero);
        var html = System.Text.Encoding.UTF8.GetString(page.Body);

        Assert.Equal("text/html; charset=utf-8", page.ContentType);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains($"<title>{Encoded}</title>", html, StringComparison.Ordinal);
        Assert.Matches($"<body>\\s*<p>{System.Text.RegularExpressions.Regex.Escape(Encoded)}</p>\\s*</body>\\s*</html>\\s*$", html);
    }

    [Fact]
    public async Task APageRenderedPerRequestUsesTheSameShellAndEncoder()
    {
        await using var host = await ServiceHost.StartWithServicesAsync(services => services.AddRazorComponents(), null);
        await using var scope = host.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost");
        context.Request.Path = "/studio";
        var body = new MemoryStream();
        context.Response.Body = body;

        await new RazorComponentResult<PageShell>(Parameters()).ExecuteAsync(context);
        var html = System.Text.Encoding.UTF8.GetString(body.ToArray());

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.StartsWith("text/html", context.Response.ContentType, StringComparison.Ordinal);
        Assert.Contains($"<title>{Encoded}</title>", html, StringComparison.Ordinal);
        Assert.Contains($"<p>{Encoded}</p>", html, StringComparison.Ordinal);
    }

    private static Dictionary<string, object?> Parameters() => new()
    {
        [nameof(PageShell.Title)] = Text,
        [nameof(PageShell.ChildContent)] = (RenderFragment)(builder =>
        {
            builder.OpenElement(0, "p");
            builder.AddContent(1, Text);
            builder.CloseElement();
        }),
    };
}
