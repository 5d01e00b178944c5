using System.Text;
using System.Text.RegularExpressions;
using CoopFeeds.Core.Extraction;

namespace CoopFeeds.Core.Sources;

/// <summary>Where a source's fixture was written: its saved page and the items <c>check --fixtures</c> expects from it.</summary>
public sealed record SourceFixturePaths(string Page, string Expected);

/// <summary>
/// A source's fixture beside the sources file: <c>pages/&lt;id&gt;.html</c> (the page as fetched) and
/// <c>pages/&lt;id&gt;.expected.json</c> (its items as <c>preview --json</c> prints them), which <c>check --fixtures</c>
/// re-extracts and compares. Written by <c>preview --save</c> and by the studio's save.
/// </summary>
public static partial class SourceFixture
{
    public const string Folder = "pages";

    /// <param name="sourcesFolder">The folder of the sources file.</param>
    /// <param name="id">The source's id, which names the files; a valid id (letters, digits, '-', '_', '.') is a file name.</param>
    /// <param name="page">The first page's bytes as fetched. A page already holding them is left as it is (a saved page's own file).</param>
    /// <param name="firstPageItems">The items of the first page only: that is what <c>check --fixtures</c> re-extracts.</param>
    public static async Task<SourceFixturePaths> WriteAsync(
        string sourcesFolder, string id, ReadOnlyMemory<byte> page, IEnumerable<Item> firstPageItems, CancellationToken cancellationToken)
    {
        if (id.Length == 0 || id.StartsWith('.') || Path.GetFileName(id) != id || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"'{id}' is not a source id that can name a file", nameof(id));

        var folder = Path.Combine(sourcesFolder, Folder);
        Directory.CreateDirectory(folder);
        var pagePath = Path.Combine(folder, id + ".html");
        if (!File.Exists(pagePath) || !(await File.ReadAllBytesAsync(pagePath, cancellationToken)).AsSpan().SequenceEqual(page.Span))
            await WriteWholeAsync(pagePath, page, cancellationToken);
        var expectedPath = Path.Combine(folder, id + ".expected.json");
        await WriteWholeAsync(expectedPath, Encoding.UTF8.GetBytes(ItemJson.Serialize(firstPageItems) + "\n"), cancellationToken);
        return new SourceFixturePaths(pagePath, expectedPath);
    }

    /// <summary>
    /// The page as its fixture must keep it: <c>check --fixtures</c> reads the file with no Content-Type, so a page whose
    /// charset only the response header named (the bytes declare none, and are not read the same without it) is kept as
    /// the header made it read, re-encoded as UTF-8 with <c>&lt;meta charset="utf-8"&gt;</c> first in its head; any other
    /// page is kept byte for byte.
    /// </summary>
    public static async Task<byte[]> SelfDescribingPageAsync(byte[] body, Uri address, string? contentType, CancellationToken cancellationToken)
    {
        if (contentType is null) return body;
        string charset;
        using (var withHeader = await ListingDocument.ParseAsync(body, address, contentType, cancellationToken))
        using (var alone = await ListingDocument.ParseAsync(body, address, contentType: null, cancellationToken))
        {
            if (string.Equals(withHeader.CharacterSet, alone.CharacterSet, StringComparison.OrdinalIgnoreCase)) return body;
            charset = withHeader.CharacterSet;
        }
        var text = AngleSharp.Text.TextEncoding.Resolve(charset).GetString(body);
        const string Meta = "<meta charset=\"utf-8\">";
        var at = HeadStart().Match(text) is { Success: true } head ? head.Index + head.Length : DoctypeEnd().Match(text).Length;
        return Encoding.UTF8.GetBytes(text.Insert(at, Meta));
    }

    [GeneratedRegex(@"<head(\s[^>]*)?>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HeadStart();

    [GeneratedRegex(@"^\s*(<!doctype[^>]*>)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoctypeEnd();

    /// <summary>
    /// Writes a file beside <paramref name="path"/> and renames it into place, so a write cut short (an IO failure, a
    /// cancelled request) leaves the previous file or none, never a truncated one that <c>check --fixtures</c> would misread.
    /// </summary>
    private static async Task WriteWholeAsync(string path, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Path.GetRandomFileName()}.tmp");
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
