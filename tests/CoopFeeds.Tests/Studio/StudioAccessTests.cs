using System.Net;
using CoopFeeds.Tests.Cli;
using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Studio;

/// <summary>Who may use the studio: nobody unless it is switched on, and then only with its token.</summary>
public sealed class StudioAccessTests
{
    [Fact]
    public async Task EveryStudioUrlAnswers404WhenTheStudioIsOff()
    {
        await using var file = FaultSources.Write();
        await using var host = await file.StartServiceAsync("--Studio:Token=" + StudioHost.Token);

        foreach (var path in new[] { "studio", "studio/studio.js", "studio/api/sources" })
        {
            using var get = await host.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "studio/api/fetch") { Content = new StringContent("{\"url\":\"http://127.0.0.1/\"}") };
        request.Headers.Authorization = new("Bearer", StudioHost.Token);
        using var post = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task ServeExitsNamingStudioTokenWhenTheStudioIsOnWithoutOne()
    {
        var folder = CoopFeedsProcess.CopyOfSamples();
        try
        {
            var result = await CoopFeedsProcess.RunAsync(folder,
                "serve", "--sources", "sources.json", "--data", "data", "--urls", "http://127.0.0.1:0", "--Studio:Enabled=true");

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(result.StandardError.Split('\n'), line => line.Contains("Studio:Token", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task EveryApiRequestWithoutTheTokenOrWithAnotherIsRefused401AndNoCookieIsSet()
    {
        await using var studio = await StudioHost.StartAsync();

        foreach (var token in new string?[] { null, "wrong-token-wrong-token", StudioHost.Token + "x", StudioHost.Token[..^1], "" })
        {
            using var response = await studio.PostAsync("studio/api/fetch", new { url = "http://127.0.0.1/" }, token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }

        // Another scheme with the right token is no bearer token either.
        using var basic = new HttpRequestMessage(HttpMethod.Post, "studio/api/fetch") { Content = new StringContent("{}") };
        basic.Headers.Authorization = new("Basic", StudioHost.Token);
        using var refused = await studio.Host.Client.SendAsync(basic);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // With the token the request is read (and this body refused for what it is, not for who sent it).
        using var accepted = await studio.PostAsync("studio/api/fetch", "{}");
        Assert.Equal(HttpStatusCode.BadRequest, accepted.StatusCode);
        Assert.False(accepted.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("GET", "studio/api/fetch", HttpStatusCode.MethodNotAllowed)]
    [InlineData("DELETE", "studio/api/sources/coop-news", HttpStatusCode.MethodNotAllowed)]
    [InlineData("GET", "studio/api/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("POST", "studio/api/sources/a/b", HttpStatusCode.NotFound)]
    [InlineData("GET", "studio/api", HttpStatusCode.NotFound)]
    public async Task EveryApiAddressAndMethodAnswers401WithoutTheTokenAndItsOwnAnswerWithIt(string method, string path, HttpStatusCode withToken)
    {
        await using var studio = await StudioHost.StartAsync();

        using (var request = new HttpRequestMessage(new HttpMethod(method), path))
        {
            using var response = await studio.Host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var authorised = new HttpRequestMessage(new HttpMethod(method), path);
        authorised.Headers.Authorization = new("Bearer", StudioHost.Token);
        using var answered = await studio.Host.Client.SendAsync(authorised);
        Assert.Equal(withToken, answered.StatusCode);
    }

    [Fact]
    public void ATokenWithSurroundingWhitespaceIsRefusedAtStartNamingStudioToken()
    {
        var validator = new CoopFeeds.Studio.StudioOptionsValidator();

        var result = validator.Validate(null, new CoopFeeds.Studio.StudioOptions { Enabled = true, Token = StudioHost.Token + "\n" });

        Assert.True(result.Failed);
        Assert.Contains("Studio:Token starts or ends with whitespace", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new CoopFeeds.Studio.StudioOptions { Enabled = true, Token = StudioHost.Token }).Succeeded);
    }
}
