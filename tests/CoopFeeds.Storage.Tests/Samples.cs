using CoopFeeds.Core;
using CoopFeeds.Core.Outcomes;

namespace CoopFeeds.Storage.Tests;

/// <summary>Items, runs and outcomes the tests build on.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static readonly SourceRun News = new("ilo-coop-news", "news");

    public static Item Item(string slug, string? title = null, SourceRun? source = null, DateTimeOffset? published = null) => new()
    {
        // The real id is a UUID of the key; any stable function of the key will do here.
        Id = $"urn:test:{slug}",
        IdentityKey = $"example.org/{slug}",
        SourceId = (source ?? News).SourceId,
        Title = title ?? $"Title of {slug}",
        Link = new Uri($"https://example.org/{slug}"),
        Published = published,
        Summary = $"Summary of {slug}",
        SummaryHtml = $"<p>Summary of {slug}</p>",
        Category = "Reports",
    };

    public static IngestOutcome Success(DateTimeOffset at, int itemsFound = 0, int? firstPageCount = null, string? etag = null,
        string? lastModified = null) => new()
    {
        Fetch = new() { Kind = OutcomeKind.Success, StatusCode = 200, Validators = new(etag, lastModified) },
        AttemptedAt = at,
        ItemsFound = itemsFound,
        FirstPageItemCount = firstPageCount,
        NextAttemptAt = at.AddHours(1),
    };

    public static IngestOutcome Failure(DateTimeOffset at, OutcomeKind kind = OutcomeKind.ServerError, int? status = 503) => new()
    {
        Fetch = new() { Kind = kind, StatusCode = status, Detail = $"{kind} from the site" },
        AttemptedAt = at,
        NextAttemptAt = at.AddHours(2),
    };

    public static Task<IReadOnlyList<StoredItem>> AllItemsAsync(this IItemStore store) =>
        store.GetItemsAsync(new ItemQuery { Limit = 1000 }, CancellationToken.None);
}
