using System.Text.RegularExpressions;
using CoopFeeds.Core.Extraction;
using CoopFeeds.Core.Sources;

namespace CoopFeeds.Core.Normalization;

/// <summary>
/// The stage after extraction: turns the raw strings read from a listing into <see cref="Item"/>s.
/// Pure: the same source, raw items and fetch time always give the same result.
/// </summary>
public static partial class ItemNormalizer
{
    private const int MaxQuotedLength = 80;

    /// <summary>
    /// Normalizes every raw item, in page order. Per item, in this order: clean the text fields, resolve the
    /// link, parse the date, derive the identity, and sanitize the summary last.
    /// <list type="bullet">
    /// <item>Dropped, with a warning: an empty title after cleaning; a link whose scheme is javascript:, data:,
    /// vbscript: or mailto: (the item's only link, so it has nothing to point a reader at).</item>
    /// <item>Collapsed, with a warning: an item with the identity key of an earlier one; the first is kept
    /// as it is, so the result does not depend on which copy was more complete.</item>
    /// <item>Kept, with a warning: no date, an unrecognised date, no usable link, a title that reads like
    /// navigation ("Read more", "Next", "Page 2"), which usually means the Title selector is wrong; items inside
    /// other items (one warning per page), which usually means the Item selector is.</item>
    /// <item>Cut to the <paramref name="limits"/>, with a warning: a longer title (at a word, with "…"; before its
    /// identity is derived, so that one page gives one key) or summary (see <see cref="SummarySanitizer"/>).</item>
    /// </list>
    /// </summary>
    /// <param name="limits">The longest title and summary kept; <see cref="NormalizationLimits.Default"/> when null.</param>
    /// <param name="withNotes">Build <see cref="NormalizationResult.Notes"/> (a preview's per-item rows); ingestion does
    /// not show them, so it does not pay for them.</param>
    public static NormalizationResult Normalize(
        ConfiguredSource source, IReadOnlyList<RawItem> raw, DateTimeOffset fetchedAt, NormalizationLimits? limits = null, bool withNotes = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(raw);
        limits ??= NormalizationLimits.Default;

        var warnings = new List<string>();
        var dates = DateParsingContext.For(source, fetchedAt);
        var items = new List<Item>(raw.Count);
        var notes = withNotes ? new List<ItemNote>(raw.Count) : null;
        var keys = new HashSet<string>(StringComparer.Ordinal);

        // One warning per page, and each item it is about carries it too.
        var insideWarnings = new Dictionary<int, string>();
        foreach (var page in raw.Where(r => r.InsideItem).GroupBy(r => r.Page))
        {
            var warning = $"{page.Count()} item(s) on page {page.Key} sit inside another item (first: {Quote(page.First().Title ?? "(no title)")}): the Item selector also matches a wrapper or a nested box; check it.";
            warnings.Add(warning);
            insideWarnings[page.Key] = warning;
        }

        for (var index = 0; index < raw.Count; index++)
        {
            var rawItem = raw[index];
            List<string>? itemWarnings = notes is null ? null : rawItem.InsideItem ? [insideWarnings[rawItem.Page]] : [];
            void Warn(string warning)
            {
                warnings.Add(warning);
                itemWarnings?.Add(warning);
            }

            // 1. Text.
            var title = TextCleaner.Clean(rawItem.Title);
            if (title.Length == 0)
            {
                Warn($"Dropped item {index + 1} (page {rawItem.Page}): its title is empty{(string.IsNullOrWhiteSpace(rawItem.Link) ? "" : $" (link {Quote(rawItem.Link)})")}.");
                continue;
            }

            // Built only for a warning: most items have none. Of the title as read, before any cut.
            var titleAsRead = title;
            string Label() => $"Item {Quote(titleAsRead)}";
            if (title.Length > limits.MaxTitleChars)
            {
                Warn($"{Label()}: title cut to {limits.MaxTitleChars} characters (it had {title.Length}).");
                title = TextCleaner.Truncate(title, limits.MaxTitleChars);
            }
            var category = NullIfEmpty(TextCleaner.Clean(rawItem.Category));
            var group = NullIfEmpty(TextCleaner.Clean(rawItem.Group));

            if (LooksLikeNavigation(title))
            {
                Warn($"{Label()} looks like navigation, not an item: check the Title selector.");
            }

            // 2. Link.
            if (LinkResolver.HasRejectedScheme(rawItem.Link))
            {
                Warn($"Dropped {Label()}: its only link is {Quote(rawItem.Link!)}.");
                continue;
            }

            var link = LinkResolver.Resolve(rawItem.Link, rawItem.BaseUri);
            if (link is null)
            {
                Warn(string.IsNullOrWhiteSpace(rawItem.Link)
                    ? $"{Label()} has no link."
                    : $"{Label()} has no usable link ({Quote(rawItem.Link)} is not an http(s) address of another page).");
            }

            // 3. Date.
            var date = DateParser.Read(rawItem.Date, dates with { Group = rawItem.Group }); // the parser cleans its input itself
            if (!string.IsNullOrWhiteSpace(rawItem.Date) && !date.TextRecognised)
            {
                Warn(date.Value is null
                    ? $"{Label()}: date {Quote(rawItem.Date)} is not recognised."
                    : $"{Label()}: date {Quote(rawItem.Date)} is not recognised; used the group {Quote(group!)}.");
            }
            else if (date.Value is null)
            {
                Warn(string.IsNullOrWhiteSpace(rawItem.Date)
                    ? $"{Label()} has no date."
                    : $"{Label()}: date {Quote(rawItem.Date)} is incomplete and the group gives no month or year.");
            }

            // 4. Identity.
            var key = link is null ? ItemIdentity.KeyFor(source.Id, title) : ItemIdentity.KeyFor(link);
            if (!keys.Add(key))
            {
                Warn($"{Label()} repeats an earlier item ({key}); the first is kept.");
                continue;
            }

            // 5. Summary, last: nothing after it may touch the markup.
            var summary = SummarySanitizer.Sanitize(rawItem.SummaryHtml, rawItem.BaseUri, limits.MaxSummaryChars);
            if (summary.CutFromLength is { } fullLength)
            {
                Warn($"{Label()}: summary cut to {limits.MaxSummaryChars} characters of HTML (it had {fullLength}).");
            }

            var item = new Item
            {
                Id = ItemIdentity.FeedId(key),
                IdentityKey = key,
                SourceId = source.Id,
                Title = title,
                Link = link,
                Published = date.Value,
                Summary = summary.Text,
                SummaryHtml = summary.Html,
                Category = category,
            };
            items.Add(item);
            notes?.Add(new ItemNote(item, rawItem, date.TextRecognised && date.Value is not null, itemWarnings!));
        }

        return new NormalizationResult { Items = items, Warnings = warnings, Notes = notes ?? [] };
    }

    // Link texts of pagination and "more" links in English, French and Spanish, over folded text.
    [GeneratedRegex(@"^(?:read more|more|see more|view more|show more|load more|learn more|continue reading|read the rest|next|next page|previous|previous page|prev|older|newer|older posts|newer posts|older entries|newer entries|see all|view all|home|back|page \d+|\d+|lire la suite|en savoir plus|plus|voir plus|voir tout|suite|suivant|suivante|page suivante|precedent|precedente|page precedente|accueil|retour|leer mas|ver mas|mas|seguir leyendo|siguiente|anterior|inicio|volver|pagina \d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex NavigationPattern();

    private static readonly char[] Arrows = ['»', '«', '›', '‹', '→', '←', '>', '<', '…', '.', ':', '|', '-', '+', ' ', '(', ')', '[', ']'];

    private static bool LooksLikeNavigation(string title)
    {
        var bare = DateVocabulary.Fold(title).Trim(Arrows);
        return bare.Length == 0 || NavigationPattern().IsMatch(bare);
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Quote(string text)
    {
        var clean = TextCleaner.Clean(text);
        return "\"" + (clean.Length > MaxQuotedLength ? clean[..MaxQuotedLength] + "…" : clean) + "\"";
    }
}
