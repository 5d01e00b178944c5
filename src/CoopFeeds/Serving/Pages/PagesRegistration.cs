using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components.Web;

namespace CoopFeeds.Serving.Pages;

public static class PagesRegistration
{
    /// <summary>
    /// What HTML pages are written with, for every area: Razor components rendered to cached bytes by
    /// <see cref="PageWriter"/>, and the encoder every component is written with (<see cref="PageHtmlEncoder"/>), which a
    /// page rendered per request with <c>RazorComponentResult</c> uses too. That way needs <c>AddRazorComponents()</c>,
    /// which the area serving such a page adds when it serves one: it brings ASP.NET data protection, which makes and
    /// stores a key at every start (with a warning in the log) although nothing here protects anything with it.
    /// </summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        // Replaced, not tried: ASP.NET registers its own encoder for a feature that asks for one (AddRazorComponents does
        // not replace this one: it only tries).
        services.Replace(ServiceDescriptor.Singleton<HtmlEncoder>(PageHtmlEncoder.Instance));
        services.TryAddScoped<HtmlRenderer>();
        services.TryAddSingleton<PageWriter>();
        return services;
    }
}
