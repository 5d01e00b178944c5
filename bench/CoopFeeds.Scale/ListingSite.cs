using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace CoopFeeds.Scale;

/// <summary>
/// What the site serves: <see cref="Sources"/> listing pages of <see cref="ItemsPerSource"/> items each, source n in section
/// <c>sec-(n % Sections)</c>, spread over <see cref="Addresses"/> loopback addresses (127.0.0.2 onwards) so that the
/// service's one-request-at-a-time-per-host rule does not serialise the pass on one host.
/// </summary>
public sealed record SiteShape
{
    public required int Port { get; init; }
    public required int Addresses { get; init; }
    public required int Sources { get; init; }
    public required int ItemsPerSource { get; init; }
    public required int Sections { get; init; }

    public IEnumerable<string> Hosts => Enumerable.Range(0, Addresses).Select(a => new IPAddress([127, 0, 0, (byte)(2 + a)]).ToString());

    /// <summary>Consecutive sources go to different sections and, ten sections further on, to the next host: every section is spread over every host.</summary>
    public string HostOf(int source) => Hosts.ElementAt(source / Sections % Addresses);

    public Uri ListingOf(int source) => new($"http://{HostOf(source)}:{Port}/listings/{source}.html");
}

/// <summary>
/// The loopback listing site and its sources file. Pages are written on request (a page of 200 items takes well under a
/// millisecond) rather than held, so the site stays small beside the service it feeds. Every item's date is distinct and in
/// the past, interleaved across sources, so the combined feed mixes them as real sites would.
/// </summary>
public static class ListingSite
{
    private static readonly DateTimeOffset Newest = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] Words =
    [
        "cooperative", "members", "workers", "housing", "credit", "union", "agriculture", "dairy", "energy", "community",
        "assembly", "training", "report", "solidarity", "economy", "social", "youth", "women", "rural", "finance",
        "governance", "platform", "care", "fisheries", "consumer", "savings", "education", "policy", "network", "annual",
    ];

    private static readonly string[] Categories = ["News", "Publication", "Event", "Statement", "Video", "Blog post"];

    public static async Task<int> RunAsync(Arguments args)
    {
        var shape = new SiteShape
        {
            Port = args.Number("port"),
            Addresses = args.Number("addresses"),
            Sources = args.Number("sources"),
            ItemsPerSource = args.Number("items"),
            Sections = args.Number("sections"),
        };
        await File.WriteAllBytesAsync(args.Text("sources-file"), SourcesFile(shape));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. shape.Hosts.Select(h => $"http://{h}:{shape.Port}")]);
        var app = builder.Build();
        // RFC 9309: the service asks each host first; allow everything, as most listing sites do.
        app.MapGet("/robots.txt", () => TypedResults.Text("User-agent: *\nAllow: /\n"));
        app.MapGet("/listings/{source:int}.html", IResult (int source) => source >= 0 && source < shape.Sources
            ? TypedResults.Text(Listing(shape, source), "text/html; charset=utf-8")
            : TypedResults.NotFound());
        await app.StartAsync();
        Console.WriteLine($"listing site: {shape.Sources} pages of {shape.ItemsPerSource} items on {string.Join(", ", shape.Hosts)} port {shape.Port}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Sections sec-0 … sec-(K-1) and one source per page, in the format of docs/sources-file.md.</summary>
    public static byte[] SourcesFile(SiteShape shape)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("Sections");
            for (var k = 0; k < shape.Sections; k++)
            {
                json.WriteStartObject();
                json.WriteString("Slug", $"sec-{k}");
                json.WriteString("Title", $"Bench section {k}");
                json.WriteString("Description", $"Listing pages {k}, {k + shape.Sections}, {k + 2 * shape.Sections}, … of the scale benchmark.");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("Sources");
            for (var n = 0; n < shape.Sources; n++)
            {
                json.WriteStartObject();
                json.WriteString("Id", $"src-{n:D4}");
                json.WriteString("Section", $"sec-{n % shape.Sections}");
                // An IP literal on the loopback reaches the loopback by the network rule; no AllowPrivateNetworks needed.
                json.WriteString("Url", shape.ListingOf(n).AbsoluteUri);
                json.WriteString("Interval", "01:00:00");
                json.WriteStartObject("Selectors");
                json.WriteString("Item", "article.item");
                json.WriteString("Title", "h3.item__title");
                json.WriteString("Link", "h3.item__title a@href");
                json.WriteString("Date", "time.item__date@datetime");
                json.WriteString("Summary", ".item__summary");
                json.WriteString("Category", ".item__label");
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>One listing page: about 600 bytes of HTML per item, a summary of two sentences with a link and emphasis.</summary>
    public static string Listing(SiteShape shape, int source)
    {
        var html = new StringBuilder(700 * shape.ItemsPerSource + 512);
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Listing {source}</title>\n</head>\n<body>\n<header><nav><a href=\"/\">Home</a></nav></header>\n<main>\n<h1>News and resources, listing {source}</h1>\n");
        for (var j = 0; j < shape.ItemsPerSource; j++)
        {
            // Newest first, one minute apart across the whole store: item j of every source comes before item j + 1 of any.
            var date = Newest.AddMinutes(-((long)j * shape.Sources + source));
            var w = (source * 7 + j * 13) % Words.Length;
            string Word(int i) => Words[(w + i * 11) % Words.Length];
            html.Append(CultureInfo.InvariantCulture, $"<article class=\"item\">\n<h3 class=\"item__title\"><a href=\"/listings/{source}/items/{j}.html?utm_source=list\">{Capital(Word(0))} {Word(1)} {Word(2)}: {Word(3)} and {Word(4)} ({source}.{j})</a></h3>\n");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"item__meta\"><time class=\"item__date\" datetime=\"{date:yyyy-MM-ddTHH:mm:ssZ}\">{date:d MMMM yyyy}</time> · <span class=\"item__label\">{Categories[(source + j) % Categories.Length]}</span></p>\n");
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"item__summary\"><p>The {Word(5)} {Word(6)} of {Word(7)} {Word(8)} met to discuss <em>{Word(9)} {Word(10)}</em> and the {Word(11)} of {Word(12)} {Word(13)} in {date:MMMM yyyy}.</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>Read the <a href=\"/listings/{source}/items/{j}/{Word(14)}.pdf\">{Word(14)} {Word(15)}</a> on {Word(16)}, {Word(17)} and {Word(18)} {Word(19)}.</p></div>\n</article>\n");
        }
        html.Append("</main>\n<footer><p>Scale benchmark listing site.</p></footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
