using CoopFeeds.Core;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Storage;

namespace CoopFeeds.Ingestion;

/// <summary>One page that was read: where, and how many items it gave.</summary>
public sealed record PageRead(Uri Url, int ItemCount);

/// <summary>A whole listing read (all pages followed): the items in page order, or why there are none.</summary>
public sealed record ListingRead
{
    public required OutcomeKind Kind { get; init; }
    public string? Detail { get; init; }
    public int? StatusCode { get; init; }

    /// <summary>How long the site asked us to wait (Retry-After on the first page's 429 or 503).</summary>
    public TimeSpan? RetryAfter { get; init; }

    public IReadOnlyList<Item> Items { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public IReadOnlyList<PageRead> Pages { get; init; } = [];

    /// <summary>What the selectors matched on the first page (null when nothing was parsed).</summary>
    public SelectorMatches? FirstPageMatches { get; init; }

    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>The first page's bytes as fetched, for <c>preview --save</c>.</summary>
    public byte[]? FirstPageBody { get; init; }
}

/// <summary>
/// Fetches a listing page by page, extracts and normalizes each, and merges them: the stages in their fixed order,
/// with no storage. Shared by ingestion and <c>preview</c>, so preview shows exactly what ingestion would store.
/// </summary>
public sealed class ListingReader(ListingFetcher fetcher, TimeProvider clock)
{
    /// <param name="knownKeys">Identity keys already stored; null on a source's first run (back-fill every page up to MaxPages).</param>
    public async Task<ListingRead> ReadAsync(
        ConfiguredSource source, ConditionalValidators validators, IReadOnlySet<string>? knownKeys, CancellationToken cancellationToken)
    {
        var items = new List<Item>();
        var seenKeys = new HashSet<string>(StringComparer.Ordinal);
        var warnings = new List<string>();
        var pages = new List<PageRead>();
        var visited = new HashSet<Uri>();
        SelectorMatches? firstMatches = null;
        FetchResult? first = null;

        Uri? next = source.Location;
        // A saved page is read from its file but its links resolve against the address it was saved from (BaseUrl).
        var nextAddress = source.IsSavedPage ? source.BaseUrl : null;
        while (next is not null && pages.Count < source.Definition.MaxPages)
        {
            if (!visited.Add(next))
            {
                warnings.Add($"page {pages.Count + 1} ({next}) was already read: stopped following NextPage");
                break;
            }

            var fetched = await fetcher.FetchAsync(next, pages.Count == 0 ? validators : ConditionalValidators.None, FetchPolicy.For(source), cancellationToken);
            if (pages.Count == 0)
            {
                first = fetched;
                if (!fetched.HasBody)
                    return new ListingRead { Kind = fetched.Kind, Detail = fetched.Detail, StatusCode = fetched.StatusCode, RetryAfter = fetched.RetryAfter };
            }
            else if (!fetched.HasBody)
            {
                // Later pages are extra history: keep what the first pages gave and say why we stopped.
                warnings.Add($"page {pages.Count + 1} ({next}) not read: {fetched.Kind} {fetched.Detail}");
                break;
            }

            var address = nextAddress ?? fetched.FinalUrl ?? next;
            using var document = await ListingDocument.ParseAsync(new MemoryStream(fetched.Body!), address, fetched.ContentType, cancellationToken);
            var page = ListingExtractor.Extract(document, source.Selectors, pages.Count + 1);
            firstMatches ??= page.Matches;

            var normalized = ItemNormalizer.Normalize(source.Definition, page.Items, clock.GetUtcNow());
            warnings.AddRange(normalized.Warnings.Select(w => pages.Count == 0 ? w : $"page {pages.Count + 1}: {w}"));
            var added = 0;
            foreach (var item in normalized.Items)
            {
                if (seenKeys.Add(item.IdentityKey))
                {
                    items.Add(item);
                    added++;
                }
            }
            pages.Add(new PageRead(next, page.Items.Count));

            if (knownKeys is not null && pages.Count > 0 && normalized.Items.All(i => knownKeys.Contains(i.IdentityKey)))
                break; // Incremental run: this page holds nothing new, so older pages hold nothing new either.

            (next, nextAddress) = ResolveNextPage(page.NextPage, pages[^1].Url, document.BaseUri, source, warnings);
        }

        return new ListingRead
        {
            Kind = OutcomeKind.Success,
            StatusCode = first?.StatusCode,
            Items = items,
            Warnings = warnings,
            Pages = pages,
            FirstPageMatches = firstMatches,
            ETag = first?.ETag,
            LastModified = first?.LastModified,
            FirstPageBody = first?.Body,
        };
    }

    /// <summary>The next page to read and, for a saved page, the public address its links resolve against.</summary>
    private static (Uri? Next, Uri? Address) ResolveNextPage(string? raw, Uri current, string baseUri, ConfiguredSource source, List<string> warnings)
    {
        if (string.IsNullOrWhiteSpace(raw) || !Uri.TryCreate(baseUri, UriKind.Absolute, out var documentBase)) return (null, null);
        if (!Uri.TryCreate(documentBase, raw.Trim(), out var next)) return (null, null);
        if (!source.IsSavedPage)
            return next.Scheme is "http" or "https" ? (new UriBuilder(next) { Fragment = "" }.Uri, null) : (null, null);

        // A saved page follows only links to other saved pages, so the default run never reaches the network: a relative
        // link is looked for beside the current file, and the page found there keeps the public address the link names.
        // Only files in the saved page's own folder or below it: a link in a page that came from the web ("/news?page=2",
        // "../../etc/x") must not make the reader open files elsewhere.
        var folder = new Uri(source.Location, ".");
        if (next.IsFile) return folder.IsBaseOf(next) ? (next, null) : NotFollowed();
        // (A file has no query or fragment: in a file URI "?" and "#" would be part of the name.)
        var path = raw.Trim().Split('?', '#')[0];
        if (path.Length > 0 && Uri.TryCreate(path, UriKind.Relative, out _) && Uri.TryCreate(current, path, out var beside) && beside.IsFile && folder.IsBaseOf(beside))
            return (beside, new UriBuilder(next) { Fragment = "" }.Uri);
        return NotFollowed();

        (Uri?, Uri?) NotFollowed()
        {
            warnings.Add($"NextPage '{raw.Trim()}' was not followed: a saved page follows only relative links to other saved pages beside it");
            return (null, null);
        }
    }
}
