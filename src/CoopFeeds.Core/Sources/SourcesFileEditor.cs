using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoopFeeds.Core.Sources;

/// <summary>One source to add to the sources file, or to put in place of the entry with its id.</summary>
public sealed record SourceEdit
{
    public required string Id { get; init; }

    /// <summary>The slug of the section the source feeds.</summary>
    public required string Section { get; init; }

    /// <summary>When no section has the slug <see cref="Section"/>: the title of the new section to add. Ignored otherwise.</summary>
    public string? SectionTitle { get; init; }

    /// <summary>
    /// The whole entry as the sources file holds it (Url, Selectors, DateFormats, Cultures, MaxPages, …). Its <c>Id</c> and
    /// <c>Section</c> are written from <see cref="Id"/> and <see cref="Section"/>, first, whatever the object says.
    /// </summary>
    public required JsonObject Entry { get; init; }

    /// <summary>Put the entry in place of an existing one with the same id; without it, an existing id is <see cref="SourcesFileEdit.Exists"/>.</summary>
    public bool Replace { get; init; }
}

/// <summary>What <see cref="SourcesFileEditor.Apply"/> made of an edit.</summary>
public abstract record SourcesFileEdit
{
    private SourcesFileEdit()
    {
    }

    /// <summary>The new text of the file, and the entry exactly as written in it.</summary>
    public sealed record Edited(string Text, JsonObject Entry, bool Replaced) : SourcesFileEdit;

    /// <summary>A source has the id and <see cref="SourceEdit.Replace"/> was not asked.</summary>
    public sealed record Exists(string Id) : SourcesFileEdit;

    /// <summary>The file cannot be edited without risk to the rest of it; <paramref name="EntryJson"/> is the entry to paste by hand.</summary>
    public sealed record Unsafe(string Reason, string EntryJson) : SourcesFileEdit;
}

/// <summary>
/// Adds or replaces one source in the text of a sources file and leaves every other byte as it was: comments, blank lines,
/// indentation, property order and the other entries. The file's structure is found with <see cref="Utf8JsonReader"/>
/// (comments and trailing commas allowed, as <see cref="SourceCatalogLoader"/> reads them); only the new entry (and a new
/// section) is written, pretty-printed with the file's indentation and line endings. A replaced entry is rewritten whole,
/// so comments inside it are not kept. Pure: the caller reads and writes the file (<see cref="SourcesFileSaver"/>).
/// </summary>
public static class SourcesFileEditor
{
    private const string SourcesName = "Sources";
    private const string SectionsName = "Sections";

    /// <summary>Maintainers read the file: keep é and ’ as they are (still valid JSON).</summary>
    private static readonly JsonSerializerOptions ScalarOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = CoreJsonContext.Default,
    };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The names of an entry's fields and of its selectors, as the file spells them.</summary>
    private static readonly string[] EntryNames = typeof(SourceDefinition).GetProperties().Select(p => p.Name).ToArray();
    private static readonly string[] SelectorNames = typeof(SelectorSet).GetProperties().Select(p => p.Name).ToArray();

    public static SourcesFileEdit Apply(string text, SourceEdit edit)
    {
        var entry = EntryAsWritten(edit);
        if (Layout.Read(text, out var reason) is not { } layout)
            return new SourcesFileEdit.Unsafe(reason!, Pasteable(entry));

        var sources = layout.Sources;
        var existing = sources.Elements.FirstOrDefault(e => e.Key == edit.Id);
        if (existing is not null && !edit.Replace) return new SourcesFileEdit.Exists(edit.Id);

        var newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var splices = new List<Splice>();
        if (existing is not null)
        {
            var indent = LineIndent(layout.Bytes, existing.Start);
            splices.Add(new(existing.Start, existing.End - existing.Start, Format(entry, indent, layout.IndentUnit, newLine)));
        }
        else
        {
            splices.AddRange(Append(layout, sources, entry, newLine));
        }

        if (edit.SectionTitle is not null)
        {
            if (layout.Sections is not { } sections)
                return new SourcesFileEdit.Unsafe($"the sources file has no top-level \"{SectionsName}\" array to add the section '{edit.Section}' to", Pasteable(entry));
            if (!sections.Elements.Any(e => e.Key == edit.Section))
            {
                var section = new JsonObject { ["Slug"] = edit.Section, ["Title"] = edit.SectionTitle };
                splices.AddRange(Append(layout, sections, section, newLine));
            }
        }

        return new SourcesFileEdit.Edited(Utf8.GetString(WithSplices(layout.Bytes, splices)), entry, Replaced: existing is not null);
    }

    /// <summary>The entry with the id <paramref name="id"/> as the file holds it, comments left out; null when there is none (or the file cannot be read).</summary>
    public static JsonObject? FindEntry(string text, string id)
    {
        if (Layout.Read(text, out _) is not { } layout || layout.Sources.Elements.FirstOrDefault(e => e.Key == id) is not { } found) return null;
        return JsonNode.Parse(layout.Bytes.AsSpan(found.Start, found.End - found.Start), documentOptions: new()
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        }) as JsonObject;
    }

    /// <summary>The entry pretty-printed on its own, as the editor writes it: to show, or to paste by hand.</summary>
    public static string Format(SourceEdit edit) => Pasteable(EntryAsWritten(edit));

    private static string Pasteable(JsonObject entry) => Format(entry, "", "  ", "\n");

    /// <summary>
    /// Id and Section lead, as in every entry of the samples. The loader matches names without regard to case, so an entry
    /// sent as <c>"selectors": {"item": …}</c> is written with the names the rest of the file uses; unknown names stay as
    /// they are, for the loader to name.
    /// </summary>
    private static JsonObject EntryAsWritten(SourceEdit edit)
    {
        var entry = new JsonObject { [nameof(SourceDefinition.Id)] = edit.Id, [nameof(SourceDefinition.Section)] = edit.Section };
        foreach (var (name, value) in edit.Entry)
        {
            var known = Spelling(name, EntryNames);
            if (known is nameof(SourceDefinition.Id) or nameof(SourceDefinition.Section)) continue;
            entry[known] = known == nameof(SourceDefinition.Selectors) && value is JsonObject selectors
                ? new JsonObject(selectors.Select(s => KeyValuePair.Create(Spelling(s.Key, SelectorNames), s.Value?.DeepClone())))
                : value?.DeepClone();
        }
        return entry;
    }

    private static string Spelling(string name, string[] known) =>
        known.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? name;

    /// <summary>Splices that add <paramref name="value"/> as the last element of <paramref name="array"/>, after any comment there.</summary>
    private static IEnumerable<Splice> Append(Layout layout, ArraySpan array, JsonObject value, string newLine)
    {
        var bytes = layout.Bytes;
        var last = array.Elements.LastOrDefault();
        var indent = last is not null && StartsLine(bytes, last.Start)
            ? LineIndent(bytes, last.Start)
            : LineIndent(bytes, array.PropertyStart) + layout.IndentUnit;
        var trailingComma = last is not null && array.CommaAfterLast;
        var written = Format(value, indent, layout.IndentUnit, newLine) + (trailingComma ? "," : "");

        if (last is not null && !trailingComma) yield return new(last.End, 0, ",");
        if (StartsLine(bytes, array.Close))
            yield return new(LineStart(bytes, array.Close), 0, indent + written + newLine);
        else
            yield return new(array.Close, 0, newLine + indent + written + newLine + LineIndent(bytes, array.PropertyStart));
    }

    private static byte[] WithSplices(byte[] bytes, List<Splice> splices)
    {
        var result = new List<byte>(bytes.Length + splices.Sum(s => s.Text.Length * 3));
        var at = 0;
        // Splices never overlap; at one position they go in the order they were made (the comma before the new entry).
        foreach (var splice in splices.OrderBy(s => s.Start))
        {
            result.AddRange(bytes.AsSpan(at, splice.Start - at));
            result.AddRange(Utf8.GetBytes(splice.Text));
            at = splice.Start + splice.Length;
        }
        result.AddRange(bytes.AsSpan(at));
        return [.. result];
    }

    /// <summary>
    /// Objects one property a line, arrays of plain values on one line (<c>"Cultures": ["en-GB"]</c>), as the samples are
    /// written. Lines after the first start with <paramref name="indent"/>; the first is placed by the caller.
    /// </summary>
    private static string Format(JsonNode? node, string indent, string unit, string newLine)
    {
        var text = new StringBuilder();
        Write(node, indent);
        return text.ToString();

        void Write(JsonNode? value, string at)
        {
            switch (value)
            {
                case JsonObject { Count: > 0 } obj:
                    text.Append('{').Append(newLine);
                    var i = 0;
                    foreach (var (name, member) in obj)
                    {
                        text.Append(at).Append(unit).Append(JsonSerializer.Serialize(name, CoreJsonContext.TypeInfo<string>(ScalarOptions))).Append(": ");
                        Write(member, at + unit);
                        text.Append(++i < obj.Count ? "," : "").Append(newLine);
                    }
                    text.Append(at).Append('}');
                    break;
                case JsonArray array when array.Any(e => e is JsonObject or JsonArray):
                    text.Append('[').Append(newLine);
                    for (var j = 0; j < array.Count; j++)
                    {
                        text.Append(at).Append(unit);
                        Write(array[j], at + unit);
                        text.Append(j + 1 < array.Count ? "," : "").Append(newLine);
                    }
                    text.Append(at).Append(']');
                    break;
                case JsonArray array:
                    text.Append('[').AppendJoin(", ", array.Select(e => e?.ToJsonString(ScalarOptions) ?? "null")).Append(']');
                    break;
                default:
                    text.Append(value?.ToJsonString(ScalarOptions) ?? "null");
                    break;
            }
        }
    }

    private static bool StartsLine(byte[] bytes, int index) => LineStart(bytes, index) + LineIndent(bytes, index).Length == index;

    private static int LineStart(byte[] bytes, int index)
    {
        var start = index;
        while (start > 0 && bytes[start - 1] != '\n') start--;
        return start;
    }

    /// <summary>The spaces and tabs that begin the line holding <paramref name="index"/>.</summary>
    private static string LineIndent(byte[] bytes, int index)
    {
        var start = LineStart(bytes, index);
        var end = start;
        while (end < index && bytes[end] is (byte)' ' or (byte)'\t') end++;
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private sealed record Splice(int Start, int Length, string Text);

    /// <summary>An element of an array: its bytes, and its Id (sources) or Slug (sections) when it is an object that has one.</summary>
    private sealed record ElementSpan(int Start, int End, string? Key);

    /// <summary>A top-level array: where its property name starts, its elements, its closing bracket.</summary>
    private sealed record ArraySpan(int PropertyStart, IReadOnlyList<ElementSpan> Elements, int Close, bool CommaAfterLast);

    /// <summary>Where the parts the editor touches are in the file's UTF-8 bytes.</summary>
    private sealed record Layout(byte[] Bytes, ArraySpan Sources, ArraySpan? Sections, string IndentUnit)
    {
        private static readonly JsonReaderOptions ReaderOptions = new()
        {
            // Comments are tokens, so the bytes between tokens are only whitespace and commas.
            CommentHandling = JsonCommentHandling.Allow,
            AllowTrailingCommas = true,
        };

        public static Layout? Read(string text, out string? reason)
        {
            var bytes = Utf8.GetBytes(text);
            // A byte-order mark stays where it is; the reader starts after it.
            var offset = text.StartsWith('\uFEFF') ? Utf8.GetByteCount("\uFEFF") : 0;
            var reader = new Utf8JsonReader(bytes.AsSpan(offset), ReaderOptions);
            // Keyed without regard to case, as the loader matches names: "sources" is "Sources".
            var arrays = new Dictionary<string, List<ArraySpan>>(StringComparer.OrdinalIgnoreCase);
            int? firstPropertyStart = null;
            try
            {
                if (!Next(ref reader) || reader.TokenType != JsonTokenType.StartObject)
                {
                    reason = "the sources file is not a JSON object";
                    return null;
                }
                while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    var propertyStart = offset + (int)reader.TokenStartIndex;
                    firstPropertyStart ??= propertyStart;
                    Next(ref reader);
                    if (reader.TokenType == JsonTokenType.StartArray && (IsNamed(name, SourcesName) || IsNamed(name, SectionsName)))
                    {
                        var key = IsNamed(name, SourcesName) ? "Id" : "Slug";
                        if (!arrays.TryGetValue(name, out var found)) arrays[name] = found = [];
                        found.Add(ReadArray(ref reader, bytes, offset, propertyStart, key));
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
                if (reader.TokenType != JsonTokenType.EndObject || Next(ref reader))
                {
                    reason = "the sources file holds more than one JSON object";
                    return null;
                }
            }
            catch (JsonException ex)
            {
                reason = $"the sources file is not valid JSON: {ex.Message}";
                return null;
            }

            // The loader reads the first of two; which one a maintainer meant is a guess the editor does not make.
            if (arrays.Values.Any(a => a.Count > 1))
            {
                reason = $"the sources file has \"{SourcesName}\" or \"{SectionsName}\" more than once";
                return null;
            }
            var sources = arrays.FirstOrDefault(a => IsNamed(a.Key, SourcesName)).Value?.Single();
            if (sources is null)
            {
                reason = $"the sources file has no top-level \"{SourcesName}\" array";
                return null;
            }
            var sections = arrays.FirstOrDefault(a => IsNamed(a.Key, SectionsName)).Value?.Single();
            reason = null;
            return new Layout(bytes, sources, sections, FindIndentUnit(bytes, firstPropertyStart));
        }

        private static bool IsNamed(string name, string expected) => name.Equals(expected, StringComparison.OrdinalIgnoreCase);

        /// <summary>The array the reader is at the start of, read to its closing bracket.</summary>
        private static ArraySpan ReadArray(ref Utf8JsonReader reader, byte[] bytes, int offset, int propertyStart, string key)
        {
            var elements = new List<ElementSpan>();
            var comments = new List<(int Start, int End)>();
            while (true)
            {
                if (!reader.Read()) throw new JsonException("the input ends inside an array");
                var start = offset + (int)reader.TokenStartIndex;
                if (reader.TokenType == JsonTokenType.Comment)
                {
                    comments.Add((start, offset + (int)reader.BytesConsumed));
                    continue;
                }
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    var after = elements.Count > 0 ? elements[^1].End : start;
                    return new ArraySpan(propertyStart, elements, start, HasComma(bytes, after, start, comments));
                }
                var value = reader.TokenType == JsonTokenType.StartObject ? ReadKey(ref reader, key) : SkipValue(ref reader);
                elements.Add(new ElementSpan(start, offset + (int)reader.BytesConsumed, value));
            }
        }

        /// <summary>Reads the object the reader is at the start of, to its end; the string value of its property <paramref name="key"/>.</summary>
        private static string? ReadKey(ref Utf8JsonReader reader, string key)
        {
            string? found = null;
            while (Next(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKey = IsNamed(reader.GetString()!, key);
                Next(ref reader);
                if (isKey && found is null && reader.TokenType == JsonTokenType.String) found = reader.GetString();
                else SkipValue(ref reader);
            }
            return found;
        }

        /// <summary>Moves past the value the reader is at (to its last token); null, for <see cref="ReadArray"/>'s keys.</summary>
        private static string? SkipValue(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return null;
            var depth = reader.CurrentDepth;
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == depth) break;
            }
            return null;
        }

        /// <summary>The next token that is not a comment; false at the end of the input.</summary>
        private static bool Next(ref Utf8JsonReader reader)
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.Comment) return true;
            }
            return false;
        }

        /// <summary>A comma between the last element and the closing bracket: outside comments, those bytes are whitespace and commas.</summary>
        private static bool HasComma(byte[] bytes, int from, int to, List<(int Start, int End)> comments)
        {
            for (var i = from; i < to; i++)
            {
                if (bytes[i] == ',' && !comments.Any(c => i >= c.Start && i < c.End)) return true;
            }
            return false;
        }

        /// <summary>What one level of nesting adds: the indentation of the top-level properties, else two spaces.</summary>
        private static string FindIndentUnit(byte[] bytes, int? firstPropertyStart)
        {
            if (firstPropertyStart is not { } at || !StartsLine(bytes, at)) return "  ";
            var indent = LineIndent(bytes, at);
            return indent.Length > 0 ? indent : "  ";
        }
    }
}
