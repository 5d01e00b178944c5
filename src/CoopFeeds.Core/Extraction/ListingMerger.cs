using CoopFeeds.Core.Normalization;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Extraction;

/// <summary>The next page of a listing to read.</summary>
public sealed record PageRequest
{
    /// <summary>1-based position in the listing.</summary>
    public required int Number { get; init; }

    /// <summary>What to read: an http(s) URL, or the <c>file:</c> URI of a saved page.</summary>
    public required Uri Location { get; init; }

    /// <summary>For a saved page, the public address its links resolve against; null means the address it was read from.</summary>
    public Uri? Address { get; init; }
}

/// <summary>One page that was read: where, and how many items it gave.</summary>
public sealed record PageRead(Uri Url, int ItemCount);

/// <summary>A listing's pages merged: the items in page order, each identity key once, and what was noticed.</summary>
public sealed record MergedListing
{
    public required IReadOnlyList<Item> Items { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }
    public required IReadOnlyList<PageRead> Pages { get; init; }

    /// <summary>What the selectors matched on the first page (null when no page was added).</summary>
    public SelectorMatches? FirstPageMatches { get; init; }
}

/// <summary>
/// The page loop of a listing without the reading: says which page to read next and merges each page given to it.
/// Pure, so ingestion, <c>preview</c>, <c>check --fixtures</c> and the extraction fixtures follow and merge pages by
/// the same rules, whatever serves the bytes.
/// <list type="bullet">
/// <item>The first page is the source's location; a saved page's links resolve against its BaseUrl.</item>
/// <item>Items are merged in page order keeping the first of each identity key (a post that slid to the next page
/// between two reads is on both). Warnings of page 2 and later say which page they come from.</item>
/// <item>Pages are followed by their NextPage up to MaxPages; a page already read stops the loop with a warning; with
/// known keys (a later run), a page holding nothing new stops it too, since older pages hold nothing new either.</item>
/// <item>A saved page follows only relative links to files in its own folder or below, so reading one never reaches
/// the network or files elsewhere.</item>
/// </list>
/// </summary>
public sealed class ListingMerger
{
    private readonly ConfiguredSource _source;
    private readonly IReadOnlySet<string>? _knownKeys;
    private readonly List<Item> _items = [];
    private readonly HashSet<string> _itemKeys = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = [];
    private readonly List<PageRead> _pages = [];
    private readonly HashSet<Uri> _visited = [];
    private SelectorMatches? _firstPageMatches;

    /// <param name="knownKeys">Identity keys already stored; null on a source's first run (back-fill every page up to MaxPages).</param>
    public ListingMerger(ConfiguredSource source, IReadOnlySet<string>? knownKeys)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _knownKeys = knownKeys;
        Next = new PageRequest { Number = 1, Location = _source.Location, Address = _source.IsSavedPage ? _source.BaseUrl : null };
        _visited.Add(_source.Location);
    }

    /// <summary>The page to read now; null once the listing is complete.</summary>
    public PageRequest? Next { get; private set; }

    /// <summary>Merges the page just read (<see cref="Next"/>), extracted and normalized, and returns the page to read after it.</summary>
    public PageRequest? Add(ListingPage page, NormalizationResult normalized)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(normalized);
        var current = Next ?? throw new InvalidOperationException("No page is due: the listing is complete.");
        Next = null;

        _warnings.AddRange(normalized.Warnings.Select(w => current.Number == 1 ? w : $"page {current.Number}: {w}"));
        _items.AddRange(normalized.Items.Where(i => _itemKeys.Add(i.IdentityKey)));
        _pages.Add(new PageRead(current.Location, page.Items.Count));
        _firstPageMatches ??= page.Matches;

        if (_knownKeys is not null && normalized.Items.All(i => _knownKeys.Contains(i.IdentityKey)))
            return null; // A later run: this page holds nothing new, so older pages hold nothing new either.

        var next = ResolveNextPage(page.NextPage, current.Location, page.BaseUri);
        if (next is null || _pages.Count >= _source.Definition.MaxPages) return null;
        if (!_visited.Add(next.Location))
        {
            _warnings.Add($"page {next.Number} ({UrlRedactor.Redact(next.Location)}) was already read: stopped following NextPage");
            return null;
        }
        return Next = next;
    }

    /// <summary>
    /// The page due could not be read (a later page: the first page's failure is the whole read's). Later pages are
    /// extra history, so what the pages before gave is kept and the reason becomes a warning.
    /// </summary>
    public void NotRead(string reason)
    {
        var current = Next ?? throw new InvalidOperationException("No page is due: the listing is complete.");
        _warnings.Add($"page {current.Number} ({UrlRedactor.Redact(current.Location)}) not read: {UrlRedactor.RedactText(reason)}");
        Next = null;
    }

    /// <summary>The pages added so far, merged.</summary>
    public MergedListing Merged() => new()
    {
        Items = [.. _items],
        Warnings = [.. _warnings],
        Pages = [.. _pages],
        FirstPageMatches = _firstPageMatches,
    };

    private PageRequest? ResolveNextPage(string? raw, Uri current, Uri documentBase)
    {
        if (string.IsNullOrWhiteSpace(raw) || !Uri.TryCreate(documentBase, raw.Trim(), out var next)) return null;
        var number = _pages.Count + 1;
        if (!_source.IsSavedPage)
            return next.Scheme is "http" or "https" ? new PageRequest { Number = number, Location = WithCredentials(WithoutFragment(next)) } : null;

        // A saved page follows only links to other saved pages, so the default run never reaches the network: a relative
        // link is looked for beside the current file, and the page found there keeps the public address the link names.
        // Only files in the saved page's own folder or below it: a link in a page that came from the web ("/news?page=2",
        // "../../etc/x") must not make the reader open files elsewhere.
        var folder = new Uri(_source.Location, ".");
        if (next.IsFile) return folder.IsBaseOf(next) ? new PageRequest { Number = number, Location = next } : NotFollowed();
        // (A file has no query or fragment: in a file URI "?" and "#" would be part of the name.)
        var path = raw.Trim().Split('?', '#')[0];
        if (path.Length > 0 && Uri.TryCreate(path, UriKind.Relative, out _) && Uri.TryCreate(current, path, out var beside) && beside.IsFile && folder.IsBaseOf(beside))
            return new PageRequest { Number = number, Location = beside, Address = WithoutFragment(next) };
        return NotFollowed();

        PageRequest? NotFollowed()
        {
            _warnings.Add($"NextPage '{raw.Trim()}' was not followed: a saved page follows only relative links to other saved pages beside it");
            return null;
        }
    }

    private static Uri WithoutFragment(Uri uri) => new UriBuilder(uri) { Fragment = "" }.Uri;

    /// <summary>
    /// A page is parsed without the user info of its address (no link may carry a password), so a next page on the
    /// source's own site gets the credentials the source's URL gives back for its fetch.
    /// </summary>
    private Uri WithCredentials(Uri next)
    {
        var origin = _source.Location;
        return origin.UserInfo.Length > 0 && next.UserInfo.Length == 0
            && Uri.Compare(origin, next, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? new Uri($"{next.Scheme}://{origin.UserInfo}@{next.GetComponents(UriComponents.Host | UriComponents.Port | UriComponents.PathAndQuery, UriFormat.UriEscaped)}")
            : next;
    }
}
