using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoopFeeds.Core.Sources;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CoopFeeds.Core.Tests.Sources;

/// <summary>
/// samples/sources.json with comments put anywhere a maintainer could put them — before any token, at the end of any line —
/// keeps every byte when a source is added or replaced, and still reads as the same sources plus the new one.
/// </summary>
[Properties(Arbitrary = [typeof(SourcesFileEditorProperties)], MaxTest = 300)]
public sealed class SourcesFileEditorProperties
{
    private static readonly string SamplePath = Path.Combine(RealParsers.RepoRoot, "samples", "sources.json");
    private static readonly string Sample = File.ReadAllText(SamplePath);
    private static readonly int[] TokenStarts = Tokens().Where(t => !t.IsSource).Select(t => t.Start).ToArray();
    private static readonly int[] LineEnds = Enumerable.Range(0, Sample.Length).Where(i => Sample[i] == '\n').ToArray();

    /// <summary>Where each source's object starts and ends in the sample.</summary>
    private static readonly (int Start, int End)[] Entries = Tokens().Where(t => t.IsSource).Select(t => (t.Start, t.End)).ToArray();

    private static readonly Dictionary<string, string> SampleFingerprints = Load(Sample).Sources.ToDictionary(s => s.Id, s => SourceFingerprint.Of(s.Definition));

    /// <summary>Where the comments go (indexes into the places a comment may go), and which source to replace.</summary>
    public sealed record Places(int[] Picks, int Which);

    /// <summary>Picks spread over the whole file: FsCheck's own integers stay near zero, its first few dozen places.</summary>
    public static Arbitrary<Places> CommentPlaces() =>
        (from picks in Gen.Choose(0, TokenStarts.Length + LineEnds.Length - 1).ArrayOf()
         from which in Gen.Choose(0, Entries.Length - 1)
         select new Places(picks, which)).ToArbitrary();

    [Property]
    public void ANewSourceAddsOnlyItselfAndACommaWhereverCommentsAre(Places places)
    {
        var (text, comments) = WithComments(places.Picks);
        var edit = SourcesFileEditorTests.Edit("coop-new");

        var edited = Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply(text, edit));

        var lastEnd = Shift(comments, Entries[^1].End, inclusive: false);
        Assert.Equal(text[..lastEnd], edited.Text[..lastEnd]);
        Assert.Equal(',', edited.Text[lastEnd]);
        var inserted = Insertion(text[lastEnd..], edited.Text[(lastEnd + 1)..]);
        Assert.True(JsonNode.DeepEquals(edited.Entry, JsonNode.Parse(inserted.Trim())), inserted);
        AssertSameSourcesBut(edited.Text, edit);
    }

    [Property]
    public void AReplacedSourceChangesOnlyItsOwnBytesWhereverCommentsAre(Places places)
    {
        var (text, comments) = WithComments(places.Picks);
        var (start, end) = Entries[places.Which];
        var edit = SourcesFileEditorTests.Edit(Load(Sample).Sources[places.Which].Id, replace: true);

        var edited = Assert.IsType<SourcesFileEdit.Edited>(SourcesFileEditor.Apply(text, edit));

        // A comment just before the entry's '{' is outside it; one before its '}' is inside, and goes with it.
        var newStart = Shift(comments, start, inclusive: true);
        var tail = text.Length - Shift(comments, end, inclusive: false);
        Assert.Equal(text[..newStart], edited.Text[..newStart]);
        Assert.Equal(text[^tail..], edited.Text[^tail..]);
        Assert.True(JsonNode.DeepEquals(edited.Entry, JsonNode.Parse(edited.Text[newStart..^tail])), edited.Text[newStart..^tail]);
        Assert.True(edited.Replaced);
        AssertSameSourcesBut(edited.Text, edit);
    }

    /// <summary>The sample with a comment at each pick: a block comment before a token, or a line comment at a line's end.</summary>
    private static (string Text, List<(int At, string Comment)> Comments) WithComments(int[] picks)
    {
        var comments = picks
            .Select((pick, n) => pick < TokenStarts.Length
                ? (At: TokenStarts[pick], Comment: $"/* note {n} */ ")
                : (At: LineEnds[pick - TokenStarts.Length], Comment: $" // note {n}"))
            .OrderBy(c => c.At)
            .ToList();
        var text = new StringBuilder(Sample);
        foreach (var (at, comment) in Enumerable.Reverse(comments)) text.Insert(at, comment);
        return (text.ToString(), comments);
    }

    /// <summary>Where a position of the sample is once the comments are in: those before it move it (and those at it, when <paramref name="inclusive"/>).</summary>
    private static int Shift(List<(int At, string Comment)> comments, int at, bool inclusive) =>
        at + comments.Where(c => c.At < at || (inclusive && c.At == at)).Sum(c => c.Comment.Length);

    /// <summary>The text <paramref name="after"/> has on top of <paramref name="before"/>, asserting that it is one insertion.</summary>
    private static string Insertion(string before, string after)
    {
        var common = 0;
        while (common < before.Length && before[common] == after[common]) common++;
        var length = after.Length - before.Length;
        Assert.True(length > 0);
        Assert.Equal(before[common..], after[(common + length)..]);
        return after.Substring(common, length);
    }

    private static void AssertSameSourcesBut(string text, SourceEdit edit)
    {
        var catalog = Load(text);
        var expected = SampleFingerprints.Keys.Append(edit.Id).Distinct().ToList();
        Assert.Equal(expected, catalog.Sources.Select(s => s.Id));
        foreach (var source in catalog.Sources.Where(s => s.Id != edit.Id))
            Assert.Equal(SampleFingerprints[source.Id], SourceFingerprint.Of(source.Definition));
        var written = catalog.FindSource(edit.Id)!.Definition;
        Assert.Equal(edit.Entry["Url"]!.GetValue<string>(), written.Url);
        Assert.Equal(["fr-FR", "en-GB"], written.Cultures);
        Assert.Equal("time@datetime", written.Selectors.Date);
    }

    private static SourceCatalog Load(string text)
    {
        var loaded = SourceCatalogLoader.Parse(text, SamplePath);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        return loaded.Catalog!;
    }

    /// <summary>Every token of the sample: where it starts, and for each source's object where it ends.</summary>
    private static List<(int Start, int End, bool IsSource)> Tokens()
    {
        var tokens = new List<(int, int, bool)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(Sample));
        var inSources = false;
        var starts = new Stack<int>();
        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            tokens.Add((start, (int)reader.BytesConsumed, false));
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1) inSources = reader.ValueTextEquals("Sources");
            if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == 2) starts.Push(start);
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 2 && starts.TryPop(out var open) && inSources)
                tokens.Add((open, (int)reader.BytesConsumed, true));
        }
        return tokens;
    }
}
