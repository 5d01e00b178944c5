using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace CoopFeeds.Tests.Publishing;

/// <summary>Validators, conditional requests, HEAD, content codings, CORS and WebSub headers on feeds (checklist section 6).</summary>
public sealed class HttpCachingTests
{
    public static TheoryData<string> Documents => ["feeds/news.rss", "feeds/news.atom", "feeds/news.json", "feeds/all.atom", "feeds.opml", "feeds/news.rss?limit=2"];

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task SecondRequestWithTheReturnedETagGets304WithoutBody(string path)
    {
        await using var host = await ServiceHost.StartAsync();

        using var first = await host.Client.GetAsync(path);
        using var second = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(first.Headers.CacheControl, second.Headers.CacheControl);
        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
        Assert.Equal(first.Headers.Vary, second.Headers.Vary);
    }

    [Theory]
    [InlineData("W/{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("*")]
    public async Task IfNoneMatchIsComparedWeaklyAndAcceptsListsAndStar(string format)
    {
        await using var host = await ServiceHost.StartAsync();
        using var first = await host.Client.GetAsync("feeds/news.atom");

        using var second = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.atom",
            r => r.Headers.TryAddWithoutValidation("If-None-Match", string.Format(format, first.Headers.ETag!.Tag)));

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task IfModifiedSinceIsIgnoredWhenIfNoneMatchDoesNotMatch()
    {
        await using var host = await ServiceHost.StartAsync();
        using var first = await host.Client.GetAsync("feeds/news.rss");
        var lastModified = first.Content.Headers.LastModified!.Value;

        using var stale = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.rss", r =>
        {
            r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
            r.Headers.IfModifiedSince = lastModified;
        });
        using var onlyDate = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.rss", r => r.Headers.IfModifiedSince = lastModified);
        using var earlierDate = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.rss", r => r.Headers.IfModifiedSince = lastModified.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.NotEmpty(await stale.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotModified, onlyDate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, earlierDate.StatusCode);
    }

    [Theory]
    [InlineData("feeds/news.rss", null)]
    [InlineData("feeds/news.atom", "gzip")]
    [InlineData("feeds/news.json", "br")]
    [InlineData("feeds.opml", null)]
    public async Task HeadAnswersTheSameHeadersAsGetWithoutBody(string path, string? coding)
    {
        await using var host = await ServiceHost.StartAsync();

        using var get = await Served.SendAsync(host, HttpMethod.Get, path, r => AcceptEncoding(r, coding));
        using var head = await Served.SendAsync(host, HttpMethod.Head, path, r => AcceptEncoding(r, coding));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(Served.Headers(get), Served.Headers(head));
        Assert.Equal((await get.Content.ReadAsByteArrayAsync()).Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task ConditionalHeadAnswers304()
    {
        await using var host = await ServiceHost.StartAsync();
        using var first = await Served.SendAsync(host, HttpMethod.Head, "feeds/news.rss", _ => { });

        using var second = await Served.SendAsync(host, HttpMethod.Head, "feeds/news.rss", r => r.Headers.IfNoneMatch.Add(first.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("feeds/news.rss")]
    [InlineData("feeds/all.atom")]
    [InlineData("feeds/news.json")]
    [InlineData("feeds.opml")]
    public async Task GzipAndBrotliBodiesDecompressToTheIdentityBytesWithTheirOwnETags(string path)
    {
        await using var host = await ServiceHost.StartAsync();

        using var identity = await host.Client.GetAsync(path);
        using var gzip = await Served.SendAsync(host, HttpMethod.Get, path, r => AcceptEncoding(r, "gzip"));
        using var brotli = await Served.SendAsync(host, HttpMethod.Get, path, r => AcceptEncoding(r, "gzip, deflate, br"));
        var plain = await identity.Content.ReadAsByteArrayAsync();

        Assert.Empty(identity.Content.Headers.ContentEncoding);
        Assert.Equal(["gzip"], gzip.Content.Headers.ContentEncoding);
        Assert.Equal(["br"], brotli.Content.Headers.ContentEncoding);
        Assert.Equal(plain, Decompress(new GZipStream(await gzip.Content.ReadAsStreamAsync(), CompressionMode.Decompress)));
        Assert.Equal(plain, Decompress(new BrotliStream(await brotli.Content.ReadAsStreamAsync(), CompressionMode.Decompress)));
        Assert.True((await gzip.Content.ReadAsByteArrayAsync()).Length < plain.Length);
        Assert.Equal(3, new[] { identity.Headers.ETag!.Tag, gzip.Headers.ETag!.Tag, brotli.Headers.ETag!.Tag }.Distinct().Count());
        Assert.All(new[] { identity, gzip, brotli }, r => Assert.Contains("Accept-Encoding", r.Headers.Vary));
    }

    [Fact]
    public async Task ReaderSendingBackTheGzipTagGets304OnTheGzipRepresentation()
    {
        await using var host = await ServiceHost.StartAsync();
        using var gzip = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.atom", r => AcceptEncoding(r, "gzip"));

        using var again = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.atom", r =>
        {
            AcceptEncoding(r, "gzip");
            r.Headers.IfNoneMatch.Add(gzip.Headers.ETag!);
        });
        using var withoutGzip = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.atom", r => r.Headers.IfNoneMatch.Add(gzip.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(gzip.Headers.ETag, again.Headers.ETag);
        // The same content in another coding: still current, so still not modified (with that coding's tag).
        Assert.Equal(HttpStatusCode.NotModified, withoutGzip.StatusCode);
        Assert.NotEqual(gzip.Headers.ETag, withoutGzip.Headers.ETag);
    }

    [Fact]
    public async Task ClientRefusingEveryCodingGetsIdentity()
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await Served.SendAsync(host, HttpMethod.Get, "feeds/news.rss", r => r.Headers.TryAddWithoutValidation("Accept-Encoding", "br;q=0, gzip;q=0"));

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.StartsWith("<?xml", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("feeds/news.rss", "application/rss+xml; charset=utf-8")]
    [InlineData("feeds/news.atom", "application/atom+xml; charset=utf-8")]
    [InlineData("feeds/news.json", "application/feed+json; charset=utf-8")]
    [InlineData("feeds.opml", "text/x-opml; charset=utf-8")]
    public async Task FeedsCarryTheirMediaTypeCorsAndPublicCaching(string path, string contentType)
    {
        await using var host = await ServiceHost.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", "https://partner.example");
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", response.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromHours(1), response.Headers.CacheControl.MaxAge);
        Assert.NotNull(response.Content.Headers.LastModified);
    }

    [Theory]
    [InlineData("feeds/news.rss")]
    [InlineData("feeds/all/archive/1.atom")]
    [InlineData("feeds.opml")]
    public async Task CorsPreflightAllowsConditionalHeaders(string path)
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await Served.SendAsync(host, HttpMethod.Options, path, r =>
        {
            r.Headers.Add("Origin", "https://partner.example");
            r.Headers.Add("Access-Control-Request-Method", "GET");
            r.Headers.Add("Access-Control-Request-Headers", "if-none-match");
        });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("If-None-Match", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Contains("GET", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastModifiedIsTheNewestChangeAndStableAcrossRequests()
    {
        await using var host = await ServiceHost.StartAsync();

        using var first = await host.Client.GetAsync("feeds/news.rss");
        using var second = await host.Client.GetAsync("feeds/news.rss");

        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.True(first.Content.Headers.LastModified <= DateTimeOffset.UtcNow);
    }

    [Theory]
    [InlineData("feeds/news.rss")]
    [InlineData("feeds.opml")]
    [InlineData("sources.atom")]
    public async Task LastModifiedIsNeverLaterThanDateEvenRightAfterAChange(string path)
    {
        // The service's clock runs ahead of the machine's, as a change made a moment ago looks to a Date that Kestrel refreshes
        // once a second: the items were stored "now", later than any Date Kestrel has made.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(10));
        await using var host = await ServiceHost.StartWithClockAsync(clock, null);

        using var full = await host.Client.GetAsync(path);
        using var revalidated = await Served.SendAsync(host, HttpMethod.Get, path, r => r.Headers.IfNoneMatch.Add(full.Headers.ETag!));

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        foreach (var response in new[] { full, revalidated })
        {
            // RFC 9110 §8.8.2.1.
            var lastModified = response.Content.Headers.LastModified;
            Assert.NotNull(lastModified);
            Assert.True(lastModified <= response.Headers.Date, $"Last-Modified {lastModified:R} is after Date {response.Headers.Date:R}");
        }
    }

    [Theory]
    [InlineData("feeds//all.rss")]
    [InlineData("feeds/news/archive/x.rss")]
    [InlineData("feeds/news/extra/all.rss")]
    public async Task AddressesUnderFeedsThatNameNoDocumentAnswer404(string path)
    {
        await using var host = await ServiceHost.StartAsync();

        using var response = await host.Client.GetAsync(path);

        await Served.AssertPlainTextProblemAsync(response, HttpStatusCode.NotFound, "No feed at");
    }

    private static void AcceptEncoding(HttpRequestMessage request, string? coding)
    {
        if (coding is not null) request.Headers.TryAddWithoutValidation("Accept-Encoding", coding);
    }

    private static byte[] Decompress(Stream stream)
    {
        using var output = new MemoryStream();
        using (stream) stream.CopyTo(output);
        return output.ToArray();
    }
}
