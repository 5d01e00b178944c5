using System.Text;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Tests.Normalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CoopFeeds.Core.Tests.Extraction;

/// <summary>A page to read with one source's selectors: a real page (fixture or sample) cut, spliced or replaced by tag soup.</summary>
public sealed record MangledPage(int SourceIndex, byte[] Bytes, string How)
{
    public ConfiguredSource Source => MangledPages.Corpus[SourceIndex].Source;

    public override string ToString() =>
        $"{How} with the selectors of '{Source.Id}': {Encoding.UTF8.GetString(Bytes, 0, Math.Min(Bytes.Length, 400))}…";
}

/// <summary>Generators of broken HTML built from the extraction fixtures and the bundled sample pages.</summary>
public static class MangledPages
{
    /// <summary>Every fixture and sample page with the source that reads it.</summary>
    public static readonly IReadOnlyList<(ConfiguredSource Source, byte[] Page)> Corpus = LoadCorpus();

    private static IReadOnlyList<(ConfiguredSource, byte[])> LoadCorpus()
    {
        var corpus = new List<(ConfiguredSource, byte[])>();
        foreach (var name in FixtureExtractionTests.Names)
        {
            var source = ExtractionFixture.Load(name).Source;
            corpus.Add((source, File.ReadAllBytes(source.Location.LocalPath)));
        }

        // The bundled sample pages, when the tests run inside the repository.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples", "sources.json");
            if (!File.Exists(Path.Combine(dir.FullName, "CoopFeeds.sln")) || !File.Exists(samples)) continue;
            var loaded = SourceCatalogLoader.Load(samples);
            foreach (var source in loaded.Catalog?.Sources.Where(s => s.IsSavedPage) ?? [])
            {
                corpus.Add((source, File.ReadAllBytes(source.Location.LocalPath)));
            }
            break;
        }

        return corpus;
    }

    private static readonly char[] EdgeCharacters =
    [
        '\0', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\t', '\n', '\r', '\u007F', '\u0085', '\u0090', '\u00A0', '\u00AD',
        '\u200B', '\u200D', '\u202E', '\u2028', '\uFDD0', '\uFEFF', '\uFFFD', '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF',
        '&', '<', '>', '"', '\'', '/', '=', '#', ';', ']',
    ];

    /// <summary>Pieces of markup that the fixtures' selectors match, and the constructs that break naive parsers.</summary>
    private static readonly string[] Soup =
    [
        "<article class=\"post\">", "</article>", "<h2 class=\"entry-title\">", "</h2>", "<div class=\"entry-summary\">", "</div>",
        "<time class=\"entry-date\" datetime=\"2021-10-07T09:30:00+01:00\">", "<time datetime=\"\u0001\">", "</time>",
        "<li class=\"entry\">", "<li class=\"views-row\">", "<h4>", "</h4>", "<span class=\"date\">", "<span class=\"day\">", "</span>",
        "<p class=\"summary\">", "<span class=\"cat\">", "<h3 class=\"month\">", "October 2021", "</h3>", "Thu 07", "07/10/2021",
        "hace 3 días", "1er décembre 2021", "yesterday", "31/02/2021", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
        "<table class=\"views-table\"><tbody><tr>", "<td class=\"views-field views-field-title\">", "<td class=\"views-field views-field-created\">", "</td></tr>",
        "<a class=\"card\" href=\"/x\">", "<div class=\"card-header\">", "<img alt=\"\u0001\uFFFE\" src=\"//x\">", "<img src=\"data:x\" data-src=\"\u0001\">",
        "<div class=\"post-preview\">", "<p class=\"byline\">", "<a rel=\"next\" href=\"\u0002page2.html\">",
        "<a href=\"", "javascript:alert(1)", "mailto:a@b", "data:text/html,x", "//evil.example/x", "http://[::1", "http://\u0001/", "#frag", "\">", "</a>",
        "<base href=\"", "<base href=\"http://\uFFFE/\">", "<script>", "</script>", "<style>", "<template>", "<noscript>", "<svg><title>", "<math>",
        "<![CDATA[", "]]>", "<!--", "-->", "&#1;", "&#xFFFE;", "&#xD800;", "&#0;", "&amp;amp;", "&nbsp;", "&#8217;", "&", "<", ">", "<br>", "<p>", "<pre>",
        "<meta charset=\"windows-1252\">", "<meta charset=\"utf-16\">", "\u00E9", "\u2019", "\U0001F600", "\U0010FFFF",
    ];

    public static Arbitrary<MangledPage> Pages()
    {
        var source = Gen.Choose(0, Corpus.Count - 1);
        var fraction = Gen.Choose(0, 10_000);

        // Cut at a random byte: an unfinished tag, entity, attribute or UTF-8 sequence.
        var truncated =
            from i in source
            from at in fraction
            let page = Corpus[i].Page
            select new MangledPage(i, page[..(int)((long)page.Length * at / 10_000)], $"cut at {at / 100.0}%");

        // Random bytes or characters written over or into the page at random places.
        var characters = Gen.Frequency(
            (3, Gen.Elements(EdgeCharacters).Select(c => c.ToString())),
            (3, Gen.Choose(0, 0xFFFF).Select(c => ((char)c).ToString())),
            (2, Gen.Elements(Soup)));
        var edit =
            from at in fraction
            from kind in Gen.Choose(0, 2)
            from text in characters
            from bytes in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf()
            from length in Gen.Choose(0, 200)
            select (At: at, Kind: kind, Text: text, Bytes: bytes, Length: length);
        var spliced =
            from i in source
            from edits in edit.ListOf()
            select new MangledPage(i, Splice(Corpus[i].Page, edits), $"{edits.Count} splices");

        // Tag soup made of the selectors' own markup, so that items do match.
        var soup =
            from i in source
            from parts in Gen.Frequency((4, Gen.Elements(Soup)), (1, characters)).ListOf()
            select new MangledPage(i, Encoding.UTF8.GetBytes(string.Concat(parts)), "tag soup");

        // The page's own tags and texts, reordered, repeated and dropped, with odd characters between: items match,
        // but nothing is nested where it should be.
        var shuffled =
            from i in source
            from picks in Gen.Frequency((6, Gen.Choose(0, int.MaxValue).Select(n => (Piece: n, Text: (string?)null))), (1, characters.Select(t => (Piece: 0, Text: (string?)t)))).ListOf()
            let pieces = Pieces(i)
            select new MangledPage(i, Encoding.UTF8.GetBytes(string.Concat(picks.Select(p => p.Text ?? pieces[p.Piece % pieces.Count]))), "shuffled tags");

        return Gen.OneOf(truncated, spliced, soup, shuffled).ToArbitrary();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<string>> PiecesOf = new();

    /// <summary>The page's tags and the texts between them, in order (decoded as UTF-8; the one windows-1252 page gets U+FFFD, which is fine here).</summary>
    private static IReadOnlyList<string> Pieces(int index) => PiecesOf.GetOrAdd(index, i =>
        [.. System.Text.RegularExpressions.Regex.Matches(Encoding.UTF8.GetString(Corpus[i].Page), "<[^>]*>|[^<]+").Select(m => m.Value)]);

    private static byte[] Splice(byte[] page, IEnumerable<(int At, int Kind, string Text, byte[] Bytes, int Length)> edits)
    {
        var bytes = page.ToList();
        foreach (var (at, kind, text, raw, length) in edits)
        {
            var offset = (int)((long)bytes.Count * at / 10_000);
            switch (kind)
            {
                case 0: // insert characters, as UTF-8 (a lone surrogate becomes U+FFFD, as it would on the wire)
                    bytes.InsertRange(offset, Encoding.UTF8.GetBytes(text));
                    break;
                case 1: // insert raw bytes: invalid UTF-8, NULs, stray C1 controls
                    bytes.InsertRange(offset, raw);
                    break;
                default: // delete a span
                    bytes.RemoveRange(offset, Math.Min(length, bytes.Count - offset));
                    break;
            }
        }

        return [.. bytes];
    }
}

/// <summary>
/// Whatever a page holds, reading it never throws and never yields a string a feed could not carry: the whole chain
/// ListingDocument → ListingExtractor → ItemNormalizer, on cut, spliced and tag-soup versions of every fixture and sample page.
/// </summary>
[Properties(Arbitrary = [typeof(MangledPages)], MaxTest = 500)]
public sealed class ExtractionProperties
{
    private static readonly DateTimeOffset FetchedAt = new(2022, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static (ListingPage Page, NormalizationResult Result) Read(MangledPage page) =>
        // Off the test's synchronization context: AngleSharp awaits inside.
        Task.Run(async () =>
        {
            var address = page.Source.BaseUrl ?? page.Source.Location;
            using var document = await ListingDocument.ParseAsync(new MemoryStream(page.Bytes), address, "text/html", CancellationToken.None);
            var extracted = ListingExtractor.Extract(document, page.Source.Selectors);
            return (extracted, ItemNormalizer.Normalize(page.Source, extracted.Items, FetchedAt));
        }).GetAwaiter().GetResult();

    [Property]
    public bool BrokenPagesNeverThrowAndYieldOnlyXmlCharacters(MangledPage page)
    {
        var (_, result) = Read(page);
        return result.Items.All(item =>
            new[] { item.Title, item.Summary, item.SummaryHtml, item.Category, item.Link?.AbsoluteUri, item.Link?.ToString(), item.IdentityKey, item.Id }
                .All(XmlCheck.HasOnlyXmlChars)
            && item.Title.Length > 0)
            && result.Warnings.All(XmlCheck.HasOnlyXmlChars);
    }

    [Property]
    public bool BrokenPagesYieldOnlyHttpLinksWithoutFragmentsAndUniqueIds(MangledPage page)
    {
        var (_, result) = Read(page);
        return result.Items.All(i => i.Link is null || (i.Link.Scheme is "http" or "https" && i.Link.Fragment.Length == 0))
            && result.Items.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count() == result.Items.Count;
    }

    [Property]
    public bool BrokenPagesNeverLetScriptIntoSummaries(MangledPage page)
    {
        var (_, result) = Read(page);
        var parser = new AngleSharp.Html.Parser.HtmlParser();
        foreach (var html in result.Items.Select(i => i.SummaryHtml).OfType<string>())
        {
            using var document = parser.ParseDocument("<body>" + html);
            foreach (var element in document.Body!.QuerySelectorAll("*"))
            {
                if (element.LocalName is "script" or "style" or "iframe" or "object" or "embed" or "svg" or "math")
                {
                    return false;
                }

                foreach (var attribute in element.Attributes)
                {
                    if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)
                        || (attribute.Name is "href" or "src" && !attribute.Value.Trim().StartsWith("http", StringComparison.OrdinalIgnoreCase)
                            && !attribute.Value.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }
}
