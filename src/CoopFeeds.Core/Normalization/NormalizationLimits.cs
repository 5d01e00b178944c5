namespace CoopFeeds.Core.Normalization;

/// <summary>
/// The longest title and summary an item may carry. A page is not trusted to be reasonable: one summary of megabytes
/// would be stored, cached and served in every feed of its section. The defaults are written here once; the service
/// takes them from its settings (Ingestion:MaxTitleChars, Ingestion:MaxSummaryChars).
/// </summary>
public sealed record NormalizationLimits
{
    /// <summary>Far beyond any real headline, short enough that a feed of 500 items stays small.</summary>
    public const int DefaultMaxTitleChars = 500;

    /// <summary>A few screens of text: a listing's teaser is a paragraph or two, never a whole article.</summary>
    public const int DefaultMaxSummaryChars = 10_000;

    public static readonly NormalizationLimits Default = new()
    {
        MaxTitleChars = DefaultMaxTitleChars,
        MaxSummaryChars = DefaultMaxSummaryChars,
    };

    /// <summary>Characters of the cleaned title, the ellipsis of a cut included.</summary>
    public required int MaxTitleChars { get; init; }

    /// <summary>Characters of the summary's sanitized HTML, markup and the ellipsis of a cut included; its plain text is shorter.</summary>
    public required int MaxSummaryChars { get; init; }
}
