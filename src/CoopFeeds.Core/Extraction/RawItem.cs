namespace CoopFeeds.Core.Extraction;

/// <summary>
/// What the selectors read from one item element, as raw strings: nothing is resolved, parsed or cleaned yet.
/// </summary>
public sealed record RawItem
{
    /// <summary>Visible text of the title element (no script or style; a space at line breaks and blocks; img alt when it has no text); whitespace not yet collapsed.</summary>
    public string? Title { get; init; }

    /// <summary>The link attribute value as written in the page (may be relative, protocol-relative, or javascript:).</summary>
    public string? Link { get; init; }

    /// <summary>The date as the page shows it: an attribute value (e.g. time@datetime) or the element's text.</summary>
    public string? Date { get; init; }

    /// <summary>Inner HTML of the summary element, unsanitized.</summary>
    public string? SummaryHtml { get; init; }

    public string? Category { get; init; }

    /// <summary>Text of the nearest group heading before the item in document order (e.g. "October 2021").</summary>
    public string? Group { get; init; }

    /// <summary>The address relative links resolve against: the document's base URL (honouring &lt;base href&gt;).</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>1-based page of the listing the item came from.</summary>
    public int Page { get; init; } = 1;

    /// <summary>True when the item's element is inside another item's: the Item selector probably matches too much.</summary>
    public bool InsideItem { get; init; }
}
