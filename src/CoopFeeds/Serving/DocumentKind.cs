namespace CoopFeeds.Serving;

/// <summary>What a cached document is rendered from, hence which change makes it stale.</summary>
public enum RenderedFrom
{
    /// <summary>Items and the sources file (<see cref="Changes.FeedChangeSignal"/>): feeds, archives, the OPML list, the HTML pages.</summary>
    Items,

    /// <summary>Those and the sources' runs and schedule (<see cref="Changes.SourceStateSignal"/> too): the status documents.</summary>
    SourceStates,
}

/// <summary>A kind of document the <see cref="DocumentCache"/> holds: what of a request's address names one, and what it is rendered from.</summary>
/// <param name="ByBase">
/// It writes absolute links, so with Publishing:PublicBaseUrl unset each scheme, Host and path base is a document of its own.
/// A document without them is one document whatever the Host, which is then never read.
/// </param>
/// <param name="ByQuery">
/// It reads the query (a feed's filters). A document that ignores it is one document whatever query comes with it, so no
/// query can make a new entry.
/// </param>
public sealed record DocumentKind(bool ByBase, bool ByQuery, RenderedFrom From)
{
    /// <summary>A feed or an archive document: its filters are in the query.</summary>
    public static readonly DocumentKind Feed = new(ByBase: true, ByQuery: true, RenderedFrom.Items);

    /// <summary>The HTML pages and the OPML list: absolute links, no query.</summary>
    public static readonly DocumentKind Page = new(ByBase: true, ByQuery: false, RenderedFrom.Items);

    /// <summary><c>/api/sources</c>, <c>/api/sources/{id}</c> and <c>/sources</c>: no absolute links.</summary>
    public static readonly DocumentKind Status = new(ByBase: false, ByQuery: false, RenderedFrom.SourceStates);

    /// <summary><c>/sources.atom</c>: absolute links.</summary>
    public static readonly DocumentKind StatusFeed = new(ByBase: true, ByQuery: false, RenderedFrom.SourceStates);
}
