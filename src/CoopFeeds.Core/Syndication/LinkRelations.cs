namespace CoopFeeds.Core.Syndication;

/// <summary>Link relations and namespaces both XML formats write (RSS carries them on atom:link).</summary>
internal static class LinkRelations
{
    /// <summary>RFC 4287 §4.2.7.2: this very document.</summary>
    public const string Self = "self";

    /// <summary>RFC 4287 §4.2.7.2: the HTML page the feed or entry stands for.</summary>
    public const string Alternate = "alternate";

    /// <summary>WebSub §4: where subscribers register.</summary>
    public const string Hub = "hub";

    /// <summary>RFC 5005 §4: the subscription document, from an archive.</summary>
    public const string Current = "current";

    /// <summary>RFC 5005 §4: the next older archive document.</summary>
    public const string PrevArchive = "prev-archive";

    /// <summary>RFC 5005 §4: the next newer archive document.</summary>
    public const string NextArchive = "next-archive";

    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string AtomPrefix = "atom";

    /// <summary>RFC 5005 §2: the feed-history namespace, under its conventional prefix (checklist 7.9).</summary>
    public const string HistoryNamespace = "http://purl.org/syndication/history/1.0";
    public const string HistoryPrefix = "fh";
    public const string ArchiveElement = "archive";
}
