using System.Net;
using System.Xml.Linq;

namespace CoopFeeds.Tests.Publishing;

/// <summary>What the tests read from a running service: documents, their links, the sample sections.</summary>
internal static class Served
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public static readonly XNamespace History = "http://purl.org/syndication/history/1.0";

    public const string RssType = "application/rss+xml; charset=utf-8";
    public const string AtomType = "application/atom+xml; charset=utf-8";

    public static readonly string[] Sections = ["sse-resources", "publications", "news-stories", "news", "resources"];

    /// <summary>Settings for tests that fetch many documents: archives on the samples (10 items a section) and no rate limit.</summary>
    public static readonly string[] SmallPagesNoLimit = ["--Publishing:FeedSize=3", "--Publishing:RateLimit:PermitLimit=0"];

    /// <summary>
    /// A 400 or 404 of the feed endpoints: the status, one plain-text line naming <paramref name="message"/> (not a JSON string
    /// literal), and the CORS header a browser partner needs to read it. Returns the body.
    /// </summary>
    public static async Task<string> AssertPlainTextProblemAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains(message, body, StringComparison.Ordinal);
        Assert.False(body.StartsWith('"'), $"body is a JSON string literal: {body}");
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        return body;
    }

    public static async Task<HttpResponseMessage> SendAsync(ServiceHost host, HttpMethod method, string path, Action<HttpRequestMessage> configure)
    {
        using var request = new HttpRequestMessage(method, path);
        configure(request);
        return await host.Client.SendAsync(request);
    }

    /// <summary>Every header but Date, as name: values lines.</summary>
    public static List<string> Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => h.Key != "Date")
            .Select(h => $"{h.Key}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal)
            .ToList();

    public static async Task<byte[]> GetBytesAsync(ServiceHost host, string path)
    {
        using var response = await host.Client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    public static async Task<XDocument> GetXmlAsync(ServiceHost host, string path)
    {
        using var stream = new MemoryStream(await GetBytesAsync(host, path));
        return XDocument.Load(stream);
    }

    /// <summary>The href of the feed-level atom:link with <paramref name="rel"/> (RSS channel or Atom feed), or null.</summary>
    public static string? Link(XDocument document, string rel)
    {
        var parent = document.Root!.Name == "rss" ? document.Root.Element("channel")! : document.Root;
        return parent.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == rel)?.Attribute("href")?.Value;
    }

    /// <summary>Entry ids: RSS guids or Atom ids.</summary>
    public static List<string> Ids(XDocument document) =>
        document.Root!.Name == "rss"
            ? document.Root.Element("channel")!.Elements("item").Select(i => i.Element("guid")!.Value).ToList()
            : document.Root.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ToList();

    /// <summary>A path relative to the host for an absolute link the service wrote (its public base is the host's address).</summary>
    public static string Relative(ServiceHost host, string absolute)
    {
        Assert.StartsWith(host.Address.AbsoluteUri, absolute, StringComparison.Ordinal);
        return absolute[host.Address.AbsoluteUri.Length..];
    }

    /// <summary>Every RSS or Atom document of the samples: sections, all, filtered views and every archive page (found by following prev-archive).</summary>
    public static async Task<List<string>> AllXmlDocumentPathsAsync(ServiceHost host, string extension)
    {
        var paths = new List<string>();
        foreach (var slug in Sections.Append("all"))
        {
            var path = $"feeds/{slug}.{extension}";
            paths.Add(path);
            var previous = Link(await GetXmlAsync(host, path), "prev-archive");
            while (previous is not null)
            {
                var archive = Relative(host, previous);
                paths.Add(archive);
                previous = Link(await GetXmlAsync(host, archive), "prev-archive");
            }
        }
        paths.Add($"feeds/all.{extension}?category=News&q=ilo");
        paths.Add($"feeds/news.{extension}?limit=2");
        paths.Add($"feeds/all.{extension}?category=News&category=Video&limit=5");
        return paths;
    }
}
