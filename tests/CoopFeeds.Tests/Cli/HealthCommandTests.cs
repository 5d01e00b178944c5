using System.Net;
using System.Net.Sockets;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace CoopFeeds.Tests.Cli;

/// <summary>The <c>health</c> verb, the container's HEALTHCHECK, run as the real executable against loopback servers.</summary>
public sealed class HealthCommandTests
{
    [Fact]
    public async Task HealthSaysReadyInOneLineAndExitsZeroWhenTheInstanceIsReady()
    {
        await using var service = await ServiceHost.StartAsync();
        var url = new Uri(service.Address, "readyz");

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "health", "--url", url.AbsoluteUri);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"ready: {url} answered 200", OneLine(result));
    }

    [Fact]
    public async Task HealthSaysNotReadyInOneLineAndExitsOneWhenNothingListens()
    {
        var url = new Uri($"http://127.0.0.1:{ClosedPort()}/readyz");

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "health", "--url", url.AbsoluteUri);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"not ready: {url}: Connection refused", OneLine(result));
    }

    [Fact]
    public async Task HealthRepeatsWhyAnInstanceIsNotReadyAndFollowsNoRedirect()
    {
        using var site = await Task.Run(() => WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"] }));
        site.Given(Request.Create().WithPath("/readyz"))
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("starting: the first ingest pass has not finished\n"));
        site.Given(Request.Create().WithPath("/moved")).RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", "/ok"));
        site.Given(Request.Create().WithPath("/ok")).RespondWith(Response.Create().WithStatusCode(200).WithBody("ready\n"));
        var starting = new Uri(site.Url + "/readyz");
        var moved = new Uri(site.Url + "/moved");

        var notReady = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "health", "--url", starting.AbsoluteUri);
        var redirected = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "health", "--url", moved.AbsoluteUri);

        Assert.Equal(1, notReady.ExitCode);
        Assert.Equal($"not ready: {starting} answered 503 (starting: the first ingest pass has not finished)", OneLine(notReady));
        Assert.Equal(1, redirected.ExitCode);
        Assert.Equal($"not ready: {moved} answered 302", OneLine(redirected));
    }

    [Fact]
    public async Task HealthGivesUpOnAnInstanceThatDoesNotAnswer()
    {
        // The kernel completes the connection into the backlog; nobody accepts it, so the request is never answered.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var url = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/readyz");

        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "health", "--url", url.AbsoluteUri);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"not ready: {url} did not answer within 3 s", OneLine(result));
    }

    [Theory]
    [InlineData("http://192.0.2.1:8080/readyz")]
    [InlineData("http://coopfeeds-1:8080/readyz")]
    [InlineData("file:///etc/passwd")]
    public async Task HealthRefusesAnAddressOffThisMachine(string url)
    {
        var result = await CoopFeedsProcess.RunAsync(RepoPaths.Root, "health", "--url", url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"--url '{url}' is not an http(s) address on this machine", result.StandardError);
        Assert.Equal("", result.StandardOutput);
    }

    /// <summary>Everything the verb printed, which must be one line.</summary>
    private static string OneLine(ProcessResult result)
    {
        var printed = (result.StandardOutput + result.StandardError).TrimEnd('\n');
        Assert.DoesNotContain('\n', printed);
        return printed;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now: every connection is refused
        return port;
    }
}
