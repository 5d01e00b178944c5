using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace CoopFeeds.Serving.Pages;

/// <summary>
/// Renders a page component (its markup in a <c>.razor</c> file, every value HTML-encoded) to the bytes the document
/// cache keeps, so a page is rendered once per change of what it shows and served like the feeds (ETag, 304). The
/// component is given everything it shows as parameters and reads nothing itself, so the render is synchronous CPU work.
/// </summary>
public sealed class PageWriter(IServiceScopeFactory scopes)
{
    public const string MediaType = "text/html; charset=utf-8";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="parameters">The component's parameters by name (<c>nameof</c> its properties).</param>
    /// <param name="lastModified">The newest change among what the page shows (never the clock); null when what it shows has no date.</param>
    /// <param name="maxAge">How long readers may keep the page.</param>
    // All members, as HtmlRenderer.RenderComponentAsync asks (the framework's LinkerFlags.Component): it sets parameters
    // and activates the component through reflection.
    public async Task<RenderedFeed> WriteAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TPage>(Dictionary<string, object?> parameters, DateTimeOffset? lastModified, TimeSpan maxAge)
        where TPage : IComponent
    {
        // A renderer per render, from a scope of its own: an HtmlRenderer keeps every component it has rendered until it is
        // disposed (it has no way to remove one), so a shared one would grow with every render and slow down as it did.
        await using var scope = scopes.CreateAsyncScope();
        var renderer = scope.ServiceProvider.GetRequiredService<HtmlRenderer>();
        var body = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var page = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(parameters));
            using var buffer = new MemoryStream();
            using (var writer = new StreamWriter(buffer, Utf8))
            {
                // The renderer's state may be read only on its dispatcher.
                page.WriteHtmlTo(writer);
            }
            return buffer.ToArray();
        });
        return new RenderedFeed(body, MediaType, lastModified, maxAge);
    }
}
