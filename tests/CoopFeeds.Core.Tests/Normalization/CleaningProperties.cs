using System.Xml;
using CoopFeeds.Core.Normalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CoopFeeds.Core.Tests.Normalization;

/// <summary>Strings built to hit the edges: any UTF-16 unit (lone surrogates included), controls, invisible characters and markup.</summary>
public static class MessyStrings
{
    private static readonly char[] Edges =
    [
        '\0', '\u0001', '\u0008', '\u000B', '\u000C', '\u001F', '\t', '\n', '\r', ' ', '\u007F', '\u0085', '\u0090', '\u00A0', '\u00AD',
        '\u200B', '\u200C', '\u200D', '\u200E', '\u202E', '\u2028', '\u2060', '\u2066', '\u3000', '\uFDD0', '\uFEFF', '\uFFFD', '\uFFFE', '\uFFFF',
        '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '&', '<', '>', '"', '\'', ']', ';', '#',
    ];

    private static readonly string[] Markup =
    [
        "<p>", "</p>", "<script>", "</script>", "<style>", "<a href=\"javascript:alert(1)\">", "<a href='/x'>", "</a>", "<img src=", "<img src=x onerror=alert(1)>",
        "<svg><script>", "<iframe>", "<table><tr><td>", "<![CDATA[", "]]>", "<!--", "-->", "&amp;", "&#1;", "&#xD800;", "&#xFFFE;", "&nbsp;", "&",
        "<math><mi>", "<template>", "<noscript>", "<textarea>", "<h1>", "<br/>", "\U0001F600", "\U0010FFFF", "\U0001FFFE",
    ];

    public static Arbitrary<string> Strings()
    {
        var unit = Gen.Frequency(
            (4, Gen.Choose(0, 0xFFFF).Select(i => ((char)i).ToString())),
            (3, Gen.Elements(Edges).Select(c => c.ToString())),
            (3, Gen.Choose(0x20, 0x7E).Select(i => ((char)i).ToString())),
            (2, Gen.Elements(Markup)));
        return unit.ListOf().Select(parts => string.Concat(parts)).ToArbitrary();
    }
}

public static class XmlCheck
{
    /// <summary>Whether XML 1.0 §2.2 admits every character of the text, by .NET's own check (null counts as empty).</summary>
    public static bool HasOnlyXmlChars(string? text)
    {
        try
        {
            XmlConvert.VerifyXmlChars(text ?? "");
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }
}

[Properties(Arbitrary = [typeof(MessyStrings)], MaxTest = 500)]
public sealed class CleaningProperties
{
    private static readonly Uri Base = new("https://www.ilo.org/news/");

    [Property]
    public bool CleanedTextHasOnlyXmlCharacters(string text)
    {
        var clean = TextCleaner.Clean(text);
        return XmlCheck.HasOnlyXmlChars(clean) && TextCleaner.IsXmlSafe(clean);
    }

    [Property]
    public bool CleanedTextIsTrimmedSingleSpaced(string text)
    {
        var clean = TextCleaner.Clean(text);
        return clean == clean.Trim() && !clean.Contains("  ") && !clean.Any(c => char.IsWhiteSpace(c) && c != ' ');
    }

    [Property]
    public bool NormalizingTwiceChangesNothing(string text)
    {
        var once = TextCleaner.Normalize(text);
        return TextCleaner.Normalize(once) == once;
    }

    [Property]
    public bool SanitizedSummaryHasOnlyXmlCharactersAndNeverThrows(string html)
    {
        var summary = SummarySanitizer.Sanitize(html, Base);
        return XmlCheck.HasOnlyXmlChars(summary.Html ?? "") && XmlCheck.HasOnlyXmlChars(summary.Text ?? "")
            && TextCleaner.IsXmlSafe(summary.Html ?? "") && TextCleaner.IsXmlSafe(summary.Text ?? "");
    }

    [Property]
    public bool SanitizedSummaryHasNoScriptOrHandler(string html)
    {
        var output = SummarySanitizer.Sanitize(html, Base).Html ?? "";
        return !output.Contains("<script", StringComparison.OrdinalIgnoreCase)
            && !output.Contains("javascript:", StringComparison.OrdinalIgnoreCase)
            && !output.Contains("onerror", StringComparison.OrdinalIgnoreCase)
            && !output.Contains("<iframe", StringComparison.OrdinalIgnoreCase);
    }

    [Property]
    public bool LinkResolverNeverThrowsAndKeepsOnlyHttp(string text)
    {
        var link = LinkResolver.Resolve(text, Base);
        return link is null || (link.Scheme is "http" or "https" && link.Fragment.Length == 0);
    }
}
