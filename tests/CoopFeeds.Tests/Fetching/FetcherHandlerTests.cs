using CoopFeeds.Fetching;
using Microsoft.Extensions.Hosting;

namespace CoopFeeds.Tests.Fetching;

/// <summary>The fetcher's connections, as the service registers them.</summary>
public sealed class FetcherHandlerTests
{
    /// <summary>
    /// A proxy from the environment (HTTP_PROXY, HTTPS_PROXY) would be the only address the connect-time check sees, and
    /// would itself reach loopback or private pages on the fetcher's behalf: the fetcher's handlers never use one.
    /// </summary>
    [Fact]
    public void EveryReachConnectsDirectlyThroughTheCheckedCallbackAndNeverThroughAProxy()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddFetching();
        using var host = builder.Build();
        var handlers = host.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        foreach (var reach in Enum.GetValues<NetworkReach>())
        {
            var handler = handlers.CreateHandler(ListingFetcher.HttpClientNameFor(reach));
            while (handler is DelegatingHandler delegating) handler = delegating.InnerHandler!;
            var sockets = Assert.IsType<SocketsHttpHandler>(handler);
            Assert.False(sockets.UseProxy, $"{reach}: the handler would use a proxy");
            Assert.NotNull(sockets.ConnectCallback);
            Assert.False(sockets.AllowAutoRedirect);
        }
    }
}
