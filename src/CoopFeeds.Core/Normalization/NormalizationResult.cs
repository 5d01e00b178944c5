using CoopFeeds.Core.Extraction;

namespace CoopFeeds.Core.Normalization;

/// <summary>The items of one listing, in page order, and what was noticed while making them.</summary>
public sealed record NormalizationResult
{
    public required IReadOnlyList<Item> Items { get; init; }

    /// <summary>One line per problem, naming the item; dropped items are among them.</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>
    /// One note per item of <see cref="Items"/>, in the same order: what it was made from and the warnings that concern it,
    /// so a preview can show them on the item's row. Empty unless asked for (<c>withNotes</c>).
    /// </summary>
    public IReadOnlyList<ItemNote> Notes { get; init; } = [];
}

/// <summary>An item with the raw strings it was made from and the warnings about it (also in <see cref="NormalizationResult.Warnings"/>).</summary>
/// <param name="DateRecognised">True when the item's date was read from its own date text (not from its group, and not missing).</param>
public sealed record ItemNote(Item Item, RawItem Raw, bool DateRecognised, IReadOnlyList<string> Warnings);
