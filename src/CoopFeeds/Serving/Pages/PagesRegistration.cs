using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components.Web;

namespace CoopFeeds.Serving.Pages;

public static class PagesRegistration
{
    /// <summary>
    /// What HTML pages are written with, for every area: Razor components, rendered to cached bytes by
    /// <see cref="PageWriter"/> (a page that shows data), or per request by <c>RazorComponentResult</c> (a page that holds
    /// none), which needs the services <c>AddRazorComponents</c> registers. Both encode with <see cref="PageHtmlEncoder"/>.
    /// </summary>
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        // Replaced, not tried: the framework registers its own encoder when another feature asks for one.
        services.Replace(ServiceDescriptor.Singleton<HtmlEncoder>(PageHtmlEncoder.Instance));
        services.TryAddScoped<HtmlRenderer>();
        services.TryAddSingleton<PageWriter>();
        return services;
    }
}
