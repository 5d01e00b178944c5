using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;
using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using CoopFeeds.Sources;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>One source of the sources file, listed for the studio's "repair" choice.</summary>
public sealed record SourceListing(string Id, string Section, string Url);

/// <summary>One section of the sources file, for the save form's choice.</summary>
public sealed record SectionListing(string Slug, string Title);

public sealed record SourcesResponse(IReadOnlyList<SourceListing> Sources, IReadOnlyList<SectionListing> Sections);

/// <summary>A source's entry as it stands in the sources file (its comments aside), to repair it.</summary>
public sealed record SourceResponse(string Id, string Section, string Url, JsonObject Source);

/// <summary><c>POST /studio/api/sources</c>: the source to save, and the fetched page its fixture keeps.</summary>
public sealed record SaveSourceRequest
{
    public required string Id { get; init; }

    /// <summary>The slug of an existing section, or of a new one named by <see cref="SectionTitle"/>.</summary>
    public required string Section { get; init; }

    public string? SectionTitle { get; init; }

    /// <summary>The fetched page's address (as asked for, before redirects): the entry's Url.</summary>
    public required string Url { get; init; }

    /// <summary>The sources-file entry the form holds (Selectors, DateFormats, Cultures, MaxPages…).</summary>
    public required JsonObject Source { get; init; }

    /// <summary>Put the entry in place of the one with the same id; without it an existing id is a 409.</summary>
    public bool Replace { get; init; }

    /// <summary>The page previewed; without it, <see cref="Url"/> is fetched now.</summary>
    public string? FetchId { get; init; }
}

/// <summary>
/// What was saved: the entry as the file now holds it, the fixture's files, relative to the sources file's folder, and
/// what went wrong after the save (a fixture that could not be written).
/// </summary>
public sealed record SavedSource(string Id, string Section, string Url, JsonObject Source, IReadOnlyList<string> Fixture, IReadOnlyList<string> Warnings);

/// <summary>A save refused because the file cannot be edited safely: why, and the entry to paste by hand.</summary>
public sealed record UnsafeSave(IReadOnlyList<string> Problems, string Json);

/// <summary>
/// The sources file the service runs on, as the studio reads and writes it: the sources and sections in force, one entry
/// as written, and the save of one source with its fixture.
/// </summary>
internal static class StudioSourcesEndpoints
{
    public static IResult List(SourceCatalogProvider catalogs)
    {
        var catalog = catalogs.Current;
        return TypedResults.Json(new SourcesResponse(
            [.. catalog.Sources.Select(s => new SourceListing(s.Id, s.Section, s.Definition.Url))],
            [.. catalog.Sections.Select(s => new SectionListing(s.Slug, s.Title))]), StudioJson.Api.SourcesResponse);
    }

    public static async Task<IResult> GetAsync(string id, SourceCatalogProvider catalogs, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(catalogs.Current.FilePath, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return StudioJson.Refuse(StatusCodes.Status422UnprocessableEntity, $"the sources file cannot be read now: {ex.Message}");
        }
        // The file as it is on disk, which the save will edit; the catalog in force may be older by a reload.
        if (SourcesFileEditor.FindEntry(text, id) is not { } entry)
            return StudioJson.Refuse(StatusCodes.Status404NotFound, $"no source '{id}' in the sources file");
        return TypedResults.Json(new SourceResponse(id, EntryMembers.Text(entry, "Section") ?? "", EntryMembers.Text(entry, "Url") ?? "", entry), StudioJson.Api.SourceResponse);
    }

    /// <summary>
    /// Saves the form's source into the sources file the service runs on (validated as at start, written atomically with
    /// the previous file kept as a timestamped <c>.bak</c>, the rest of the file kept as it was) and its fixture beside it: the page's
    /// bytes as fetched and the first page's items. The running service picks the file up through its normal reload.
    /// </summary>
    public static async Task<IResult> SaveAsync(
        HttpRequest request, StudioFetcher fetcher, ListingReader reader, SourceCatalogProvider catalogs, IConfiguration configuration,
        IOptions<StudioOptions> options, CancellationToken cancellationToken)
    {
        var (body, refused) = await StudioJson.ReadAsync(request, StudioJson.Api.SaveSourceRequest, options.Value.MaxRequestBytes, cancellationToken);
        if (body is null) return refused!;
        // The page the fixture keeps: the one the maintainer previewed, or the address fetched now.
        var (page, failed) = await fetcher.PageAsync(body.FetchId is null ? body.Url : null, body.FetchId, StudioTokenCheck.TokenOf(request)!, cancellationToken);
        if (page is null) return failed!;
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || url != page.Url)
            return StudioJson.Refuse(StatusCodes.Status400BadRequest, $"url is not the address of the fetched page '{body.FetchId}' ({UrlRedactor.Redact(page.Url)})");

        // The flag only where the saved URL needs it, and kept on a repaired entry that had it (a maintainer wrote it).
        var allowPrivateNetworks = await fetcher.NeedsPrivateNetworksAsync(page.Url, cancellationToken)
            || (body.Replace && await HadPrivateNetworksAsync(catalogs.Current.FilePath, body.Id, cancellationToken));
        var edit = new SourceEdit
        {
            Id = body.Id,
            Section = body.Section,
            SectionTitle = body.SectionTitle,
            Entry = StudioSource.EntryFor(body.Source, page.Url, allowPrivateNetworks),
            Replace = body.Replace,
        };
        var saver = new SourcesFileSaver(SourcesOptions.FileRootIn(configuration), catalogs.MinInterval);
        switch (await saver.SaveAsync(catalogs.Current.FilePath, edit, cancellationToken))
        {
            case SourceSaveResult.Exists:
                return StudioJson.Refuse(StatusCodes.Status409Conflict, $"a source '{body.Id}' exists; set replace to replace it");
            case SourceSaveResult.Invalid invalid:
                return StudioJson.Refuse(StatusCodes.Status400BadRequest, invalid.Problems);
            case SourceSaveResult.Unsafe unsafeFile:
                return TypedResults.Json(new UnsafeSave([unsafeFile.Reason], unsafeFile.EntryJson), StudioJson.Api.UnsafeSave, statusCode: StatusCodes.Status422UnprocessableEntity);
            case SourceSaveResult.Saved saved:
                // The source is saved: what follows runs to its end even if the client goes (a cut fixture would leave the
                // file and its fixture out of step), and a fixture that cannot be written is a warning on a save that happened.
                var (fixture, warnings) = await WriteFixtureAsync(reader, saved, body.Id, page);
                request.HttpContext.Response.Headers.Location = $"/studio/api/sources/{Uri.EscapeDataString(body.Id)}";
                return TypedResults.Json(new SavedSource(
                    body.Id, body.Section, page.Url.AbsoluteUri, saved.Entry,
                    [.. fixture.Select(p => Path.GetRelativePath(saved.Catalog.Folder, p).Replace('\\', '/'))], warnings),
                    StudioJson.Api.SavedSource, statusCode: StatusCodes.Status201Created);
            default:
                throw new InvalidOperationException("a save ends saved, existing, invalid or unsafe");
        }
    }

    /// <summary>The fixture of a saved source: the first page only, as that is what <c>check --fixtures</c> re-extracts.</summary>
    private static async Task<(IReadOnlyList<string> Files, IReadOnlyList<string> Warnings)> WriteFixtureAsync(
        ListingReader reader, SourceSaveResult.Saved saved, string id, FetchedPage page)
    {
        try
        {
            var source = saved.Catalog.FindSource(id)!;
            var read = await reader.ReadAsync(source with { Definition = source.Definition with { MaxPages = 1 } }, page.Fetched, NoLaterPages, CancellationToken.None);
            var fetched = page.Fetched;
            var bytes = await SourceFixture.SelfDescribingPageAsync(fetched.Body!, fetched.FinalUrl ?? page.Url, fetched.ContentType, CancellationToken.None);
            var fixture = await SourceFixture.WriteAsync(saved.Catalog.Folder, id, bytes, read.Items, CancellationToken.None);
            return ([fixture.Page, fixture.Expected], []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ([], [$"the source is saved, but its fixture was not written ({ex.Message}); save again to write it, or run preview --save"]);
        }
    }

    /// <summary>The fixture reads one page, so this is never asked.</summary>
    private static Task<FetchResult> NoLaterPages(Uri location, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("a fixture is the first page only");

    private static async Task<bool> HadPrivateNetworksAsync(string path, string id, CancellationToken cancellationToken)
    {
        try
        {
            return SourcesFileEditor.FindEntry(await File.ReadAllTextAsync(path, cancellationToken), id) is { } entry
                && EntryMembers.Find(entry, "AllowPrivateNetworks") is JsonValue value && value.TryGetValue(out bool allowed) && allowed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // the save itself reads the file again and says why it cannot
        }
    }
}
