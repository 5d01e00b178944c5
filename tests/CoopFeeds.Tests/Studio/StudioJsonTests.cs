using System.Net;

namespace CoopFeeds.Tests.Studio;

/// <summary>What the API does with a body it cannot take: a plain reason, never a stack trace or a guess.</summary>
public sealed class StudioJsonTests
{
    [Fact]
    public async Task BadJsonUnknownFieldsMissingFieldsAndOversizedBodiesAreRefusedWithAPlainReason()
    {
        await using var studio = await StudioHost.StartAsync(true, null, "--Studio:MaxRequestBytes=2048");

        var bad = await studio.PostJsonAsync("studio/api/fetch", "{\"url\": ", HttpStatusCode.BadRequest);
        Assert.Contains(StudioHost.Problems(bad), p => p.StartsWith("the body is not valid JSON", StringComparison.Ordinal));
        var unknown = await studio.PostJsonAsync("studio/api/fetch", new { url = "http://127.0.0.1/", follow = true }, HttpStatusCode.BadRequest);
        Assert.Contains(StudioHost.Problems(unknown), p => p.Contains("unknown field") && p.Contains("follow"));
        var missing = await studio.PostJsonAsync("studio/api/preview", new { fetchId = "x" }, HttpStatusCode.BadRequest);
        Assert.Contains(StudioHost.Problems(missing), p => p.Contains("missing") && p.Contains("source"));
        var wrongType = await studio.PostJsonAsync("studio/api/fetch", new { url = 5 }, HttpStatusCode.BadRequest);
        Assert.Contains(StudioHost.Problems(wrongType), p => p.Contains("url"));
        var notAnObject = await studio.PostJsonAsync("studio/api/fetch", "null", HttpStatusCode.BadRequest);
        Assert.NotEmpty(StudioHost.Problems(notAnObject));
        var empty = await studio.PostJsonAsync("studio/api/fetch", "", HttpStatusCode.BadRequest);
        Assert.NotEmpty(StudioHost.Problems(empty));

        var large = await studio.PostJsonAsync("studio/api/fetch", new { url = "http://127.0.0.1/" + new string('a', 4096) }, HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains(StudioHost.Problems(large), p => p.Contains("2048 bytes"));

        // Without a Content-Length (chunked), the bound holds while reading.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "studio/api/fetch")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"url\":\"" + new string('a', 4096) + "\"}"))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Authorization = new("Bearer", StudioHost.Token);
        using var refused = await studio.Host.Client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Theory]
    [InlineData("""{"fetchId": "x", "source": {"Selectors": {"Item": "li"}, "selectors": {"Item": "p"}}}""")]
    [InlineData("""{"fetchId": "x", "source": {"Selectors": {"Item": "li"}, "Selectors": {"Item": "p"}}}""")]
    [InlineData("""{"fetchId": "x", "fetchId": "y", "source": {}}""")]
    public async Task AFieldGivenTwiceIsRefusedWithAPlainReason(string body)
    {
        await using var studio = await StudioHost.StartAsync();

        var refused = await studio.PostJsonAsync("studio/api/preview", body, HttpStatusCode.BadRequest);

        Assert.Contains(StudioHost.Problems(refused), p => p.Contains("given twice", StringComparison.Ordinal));
    }
}
