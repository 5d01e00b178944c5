namespace CoopFeeds.Core.Normalization;

/// <summary>The items of one listing, in page order, and what was noticed while making them.</summary>
public sealed record NormalizationResult
{
    public required IReadOnlyList<Item> Items { get; init; }

    /// <summary>One line per problem, naming the item; dropped items are among them.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}
