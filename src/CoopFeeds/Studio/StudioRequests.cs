using System.Text.Json.Nodes;

namespace CoopFeeds.Studio;

/// <summary><c>POST /studio/api/fetch</c>: the page to fetch.</summary>
public sealed record FetchRequest
{
    public required string Url { get; init; }
}

/// <summary>What fetching a page gave: the id its bytes are kept under, and what the maintainer is shown of the fetch.</summary>
/// <param name="Status">The HTTP status of the last response (after redirects).</param>
/// <param name="Charset">The character set the page was read in (from the header, a BOM or a &lt;meta&gt;).</param>
public sealed record FetchResponse(string FetchId, int? Status, string FinalUrl, string Charset, long Bytes, long Ms);

/// <summary><c>POST /studio/api/suggest</c>: a page by <c>url</c> (fetched now) or <c>fetchId</c> (fetched before).</summary>
public sealed record SuggestRequest
{
    public string? Url { get; init; }
    public string? FetchId { get; init; }

    /// <summary>How many candidates at most (default 3, as <c>suggest</c>).</summary>
    public int? Top { get; init; }
}

/// <summary><c>POST /studio/api/preview</c>: a page, and the source entry the form holds now (not the saved one).</summary>
public sealed record PreviewRequest
{
    public string? Url { get; init; }
    public string? FetchId { get; init; }

    /// <summary>A sources-file entry: Selectors, DateFormats, Cultures, MaxPages…; its Url is the page's.</summary>
    public required JsonObject Source { get; init; }
}

/// <summary><c>POST /studio/api/snapshot</c>: a fetched page, the form's source, and the field whose matches to outline.</summary>
public sealed record SnapshotRequest
{
    public required string FetchId { get; init; }
    public required JsonObject Source { get; init; }
    public string Focus { get; init; } = "Item";
}
