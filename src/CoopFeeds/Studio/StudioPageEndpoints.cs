using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// The studio's page and its one script, both without a token: they hold no data (studio.js asks for the token and calls
/// <c>/studio/api/*</c>). Mapped only when the studio is switched on, so without it every <c>/studio</c> URL is 404.
/// </summary>
public static class StudioPageEndpoints
{
    /// <summary>
    /// What the page may do, and nothing more: its own script, its own styles (inline ones too, the page's one style
    /// block), requests to its own API, images only inline as data: (the snapshot's, which the server keeps only so). No
    /// fonts, objects, loaded images or forms posted anywhere, no framing by others.
    /// The snapshot frame is an <c>about:srcdoc</c> document, which frame-src does not govern and which inherits this
    /// policy, so it too can load nothing; the frame's sandbox (no allow-scripts) keeps its copy of script-src idle.
    /// </summary>
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src data:; frame-src 'none'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ScriptResource = "CoopFeeds.Studio.studio.js";

    private static readonly Lazy<byte[]> Script = new(() =>
    {
        using var stream = typeof(StudioPageEndpoints).Assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"the resource {ScriptResource} is not in the assembly");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>
    /// What renders the page per request (<c>RazorComponentResult</c> needs <c>AddRazorComponents</c>), only when the
    /// studio is on. It brings data protection, which would write a key file and warn at every start; the studio protects
    /// nothing with it (no cookies, no antiforgery: the token travels in a header), so its keys live in memory only.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode",
        Justification = "Only RazorComponentResult<StudioPage> renders with these services: static server rendering of one "
            + "component whose members, and those of the PageShell it opens, the generic annotations of "
            + "RazorComponentResult<T> and OpenComponent<T> keep. No MapRazorComponents (which discovers components by "
            + "reflection), no render mode, no form bound to a model. Checked in the native build: GET /studio answers "
            + "byte for byte as the JIT build does.")]
    public static IHostApplicationBuilder AddStudioPage(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetSection(StudioOptions.Section).Get<StudioOptions>()?.Enabled != true) return builder;
        builder.Services.AddRazorComponents();
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        return builder;
    }

    /// <summary>The page and its script beside <c>MapStudioApi</c>'s endpoints, and like them nothing when the studio is off.</summary>
    public static IEndpointRouteBuilder MapStudioPage(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<StudioOptions>>().Value.Enabled) return app;
        app.MapGet("/studio", Page);
        app.MapGet("/studio/studio.js", StudioScript);
        return app;
    }

    // IResult, not Results<…, RazorComponentResult<StudioPage>>: the request delegate generator runs before the Razor
    // compiler's and cannot see the component's type.
    private static IResult Page(HttpContext context)
    {
        // Routing lets "/studio/" in too, where the page's relative "studio/studio.js" would resolve one folder too deep.
        if (context.Request.Path.Value?.EndsWith('/') == true)
            return TypedResults.Redirect($"{context.Request.PathBase}/studio{context.Request.QueryString}");
        Protect(context.Response);
        return new RazorComponentResult<StudioPage>();
    }

    private static FileContentHttpResult StudioScript(HttpContext context)
    {
        Protect(context.Response);
        // Revalidated on each load: a new version of the service must not run the old module against its new API.
        context.Response.Headers.CacheControl = "no-cache";
        return TypedResults.File(Script.Value, "text/javascript; charset=utf-8");
    }

    private static void Protect(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }
}
