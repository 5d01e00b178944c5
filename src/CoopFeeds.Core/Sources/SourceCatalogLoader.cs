using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace CoopFeeds.Core.Sources;

/// <summary>The outcome of reading a sources file: a catalog, or every problem found, each naming the source and field.</summary>
public sealed record SourceCatalogLoadResult(SourceCatalog? Catalog, IReadOnlyList<string> Problems)
{
    public bool IsValid => Catalog is not null && Problems.Count == 0;
}

/// <summary>
/// Reads and validates a sources file. Every problem is collected before giving up, so a maintainer fixes them in one go.
/// </summary>
public static partial class SourceCatalogLoader
{
    public const int MaxPagesLimit = 100;

    /// <summary>The shortest Interval a source may have unless the caller says otherwise (Ingestion:MinInterval).</summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = CoreJsonContext.Default,
    };

    /// <summary>What an entry gets for an optional member it leaves out: the records' own initial values.</summary>
    private static readonly SectionDefinition SectionDefaults = new() { Slug = "", Title = "" };

    private static readonly SourceDefinition SourceDefaults = new() { Id = "", Section = "", Url = "", Selectors = new() };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <param name="fileRoot">The folder saved pages must be in (<c>Sources:FileRoot</c>); null: the sources file's folder.</param>
    /// <param name="minInterval">The shortest Interval a source may have; <see cref="DefaultMinInterval"/> when null.</param>
    public static SourceCatalogLoadResult Load(string path, string? fileRoot = null, TimeSpan? minInterval = null)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            return new(null, [$"sources file '{fullPath}' does not exist"]);
        }

        string json;
        try
        {
            json = File.ReadAllText(fullPath);
        }
        catch (IOException ex)
        {
            return new(null, [$"sources file '{fullPath}' cannot be read: {ex.Message}"]);
        }
        return Parse(json, fullPath, fileRoot, minInterval);
    }

    /// <summary>Parses the text of a sources file; <paramref name="filePath"/> anchors relative page paths.</summary>
    /// <param name="fileRoot">The folder saved pages must be in (<c>Sources:FileRoot</c>); null: the sources file's folder.</param>
    /// <param name="minInterval">The shortest Interval a source may have; <see cref="DefaultMinInterval"/> when null.</param>
    public static SourceCatalogLoadResult Parse(string json, string filePath, string? fileRoot = null, TimeSpan? minInterval = null)
    {
        if (fileRoot is not null && !Directory.Exists(fileRoot))
            return new(null, [$"the saved-pages folder '{Path.GetFullPath(fileRoot)}' (Sources:FileRoot) does not exist"]);
        return ParseWithin(json, filePath, Path.GetFullPath(fileRoot ?? Path.GetDirectoryName(filePath)!), minInterval);
    }

    /// <summary>
    /// Parses a sources file made up for a page an operator names by hand (<c>preview --url</c>): a file it names is read as
    /// given, wherever it is, because the operator chose it (<see cref="ConfiguredSource.FileRoot"/> is null).
    /// </summary>
    public static SourceCatalogLoadResult ParseAdHoc(string json, string filePath, TimeSpan? minInterval = null) =>
        ParseWithin(json, filePath, root: null, minInterval);

    /// <param name="root">The folder saved pages must be in; null: anywhere (<see cref="ParseAdHoc"/>).</param>
    private static SourceCatalogLoadResult ParseWithin(string json, string filePath, string? root, TimeSpan? minInterval)
    {
        var problems = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new(null, [$"sources file is not valid JSON: {ex.Message}"]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new(null, ["sources file must be a JSON object with \"Sections\" and \"Sources\""]);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!property.NameEquals("Sections") && !property.NameEquals("Sources")
                    && !property.Name.Equals("sections", StringComparison.OrdinalIgnoreCase)
                    && !property.Name.Equals("sources", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"unknown top-level property \"{property.Name}\" (expected \"Sections\" and \"Sources\")");
                }
            }

            var sections = ReadSections(GetArray(document.RootElement, "Sections", problems), problems);
            var sources = ReadSources(
                GetArray(document.RootElement, "Sources", problems), sections, filePath, root, minInterval ?? DefaultMinInterval, problems);
            return problems.Count == 0
                ? new(new SourceCatalog(filePath, sections, sources), problems)
                : new(null, problems);
        }
    }

    private static JsonElement.ArrayEnumerator? GetArray(JsonElement root, string name, List<string> problems)
    {
        var found = root.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (found.Value.ValueKind == JsonValueKind.Undefined)
        {
            problems.Add($"\"{name}\" is missing");
            return null;
        }
        if (found.Value.ValueKind != JsonValueKind.Array)
        {
            problems.Add($"\"{name}\" must be an array");
            return null;
        }
        return found.Value.EnumerateArray();
    }

    private static List<SectionDefinition> ReadSections(JsonElement.ArrayEnumerator? elements, List<string> problems)
    {
        var sections = new List<SectionDefinition>();
        if (elements is null) return sections;

        var index = 0;
        foreach (var element in elements.Value)
        {
            index++;
            var section = Deserialize(element, SectionDefaults, $"section #{index}", problems);
            if (section is null) continue;

            var where = $"section '{section.Slug}'";
            if (!SlugPattern().IsMatch(section.Slug))
                problems.Add($"{where}: Slug must be lower-case letters, digits and '-' (got '{section.Slug}')");
            else if (section.Slug == SectionDefinition.AllSlug)
                problems.Add($"{where}: Slug '{SectionDefinition.AllSlug}' is reserved for the combined feed");
            if (sections.Any(s => s.Slug == section.Slug))
                problems.Add($"{where}: Slug is used by another section");
            if (string.IsNullOrWhiteSpace(section.Title))
                problems.Add($"{where}: Title is required");
            if (!LanguagePattern().IsMatch(section.Language))
                problems.Add($"{where}: Language must be a language tag such as 'en' or 'fr-CA' (got '{section.Language}')");
            sections.Add(section);
        }

        if (index == 0) problems.Add("\"Sections\" is empty: define at least one section");
        return sections;
    }

    private static List<ConfiguredSource> ReadSources(
        JsonElement.ArrayEnumerator? elements, List<SectionDefinition> sections, string filePath, string? root, TimeSpan minInterval, List<string> problems)
    {
        var sources = new List<ConfiguredSource>();
        if (elements is null) return sources;

        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in elements.Value)
        {
            index++;
            var label = element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("Id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? $"source '{idElement.GetString()}'"
                : $"source #{index}";
            var definition = Deserialize(element, SourceDefaults, label, problems);
            if (definition is null) continue;

            var where = $"source '{definition.Id}'";
            if (!IdPattern().IsMatch(definition.Id))
                problems.Add($"{where}: Id must be letters, digits, '-', '_' or '.' (it names saved pages)");
            if (!seenIds.Add(definition.Id))
                problems.Add($"{where}: Id is used by another source");
            if (!sections.Any(s => s.Slug == definition.Section))
                problems.Add($"{where}: Section '{definition.Section}' is not defined (known: {string.Join(", ", sections.Select(s => s.Slug))})");

            var source = Validate(definition, filePath, root, minInterval, where, problems);
            if (source is not null) sources.Add(source);
        }
        return sources;
    }

    private static ConfiguredSource? Validate(SourceDefinition definition, string filePath, string? root, TimeSpan minInterval, string where, List<string> problems)
    {
        var before = problems.Count;

        var location = ResolveLocation(definition.Url, filePath, root, where, problems);
        Uri? baseUrl = null;
        if (definition.BaseUrl is not null && !TryHttpUri(definition.BaseUrl, out baseUrl))
            problems.Add($"{where}: BaseUrl must be an absolute http(s) URL (got '{UrlRedactor.RedactText(definition.BaseUrl)}')");

        if (definition.Interval < minInterval)
            problems.Add($"{where}: Interval must be at least {minInterval:c}, the setting Ingestion:MinInterval (got '{definition.Interval:c}')");
        if (definition.MaxPages is < 1 or > MaxPagesLimit)
            problems.Add($"{where}: MaxPages must be between 1 and {MaxPagesLimit} (got {definition.MaxPages})");

        var selectors = ParseSelectors(definition.Selectors, where, problems);

        foreach (var format in definition.DateFormats)
        {
            if (string.IsNullOrWhiteSpace(format))
                problems.Add($"{where}: DateFormats contains an empty format");
            else if (!IsDateFormat(format))
                problems.Add($"{where}: DateFormats has '{format}', which is not a .NET date format (an unclosed quote, a lone '%' or '\\'?)");
        }

        var cultures = new List<CultureInfo>();
        foreach (var name in definition.Cultures)
        {
            try
            {
                cultures.Add(CultureInfo.GetCultureInfo(name, predefinedOnly: true));
            }
            catch (CultureNotFoundException)
            {
                problems.Add($"{where}: Cultures has an unknown culture name '{name}'");
            }
        }
        if (definition.Cultures.Count == 0) cultures.Add(CultureInfo.GetCultureInfo(SourceDefinition.DefaultCulture));

        TimeZoneInfo? zone = null;
        if (definition.TimeZone is not null)
        {
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(definition.TimeZone, out zone))
                problems.Add($"{where}: TimeZone '{definition.TimeZone}' is not a known IANA time zone");
        }

        if (problems.Count > before || location is null || selectors is null) return null;
        return new ConfiguredSource
        {
            Definition = definition,
            Selectors = selectors,
            Location = location,
            BaseUrl = baseUrl,
            Cultures = cultures,
            TimeZone = zone,
            FileRoot = root,
        };
    }

    private static Uri? ResolveLocation(string url, string filePath, string? root, string where, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            problems.Add($"{where}: Url is required");
            return null;
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && !absolute.IsFile)
        {
            if (absolute.Scheme is "http" or "https" && !string.IsNullOrEmpty(absolute.Host)) return absolute;
            problems.Add($"{where}: Url must be an http(s) URL or a file path (got '{UrlRedactor.RedactText(url)}')");
            return null;
        }

        // A file: URL names its path; anything else is a path relative to the sources file.
        var path = absolute is { IsFile: true }
            ? absolute.LocalPath
            : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(filePath)!, url));
        if (!File.Exists(path))
        {
            problems.Add($"{where}: Url '{UrlRedactor.RedactText(url)}' is neither an http(s) URL nor an existing file (looked for '{UrlRedactor.RedactText(path)}')");
            return null;
        }
        // Checked again at every read (ListingFetcher): a page may be replaced by a link after the file was read.
        try
        {
            if (root is not null && SavedPagePath.Outside(path, root, out _) is { } outside)
            {
                problems.Add($"{where}: Url {outside}; a source reads only files inside it (move the page there, or set Sources:FileRoot)");
                return null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{where}: Url '{url}' cannot be followed to a file: {ex.Message}");
            return null;
        }
        return new Uri(path);
    }

    private static ListingSelectors? ParseSelectors(SelectorSet? set, string where, List<string> problems)
    {
        if (set is null)
        {
            problems.Add($"{where}: Selectors is required (at least Item and Title)");
            return null;
        }

        var before = problems.Count;
        var item = Required(set.Item, "Item");
        var title = Required(set.Title, "Title");
        var selectors = new ListingSelectors
        {
            Item = item!,
            Title = title!,
            Link = Optional(set.Link, "Link"),
            Date = Optional(set.Date, "Date"),
            Summary = Optional(set.Summary, "Summary"),
            Category = Optional(set.Category, "Category"),
            Group = Optional(set.Group, "Group"),
            NextPage = Optional(set.NextPage, "NextPage"),
        };
        if (item is { Attribute: not null })
            problems.Add($"{where}: Selectors.Item '{item.Text}' selects elements, it cannot read an attribute");
        if (item is { Css: null })
            problems.Add($"{where}: Selectors.Item needs a CSS selector");
        return problems.Count > before ? null : selectors;

        FieldSelector? Required(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                problems.Add($"{where}: Selectors.{field} is required");
                return null;
            }
            return Optional(text, field);
        }

        FieldSelector? Optional(string? text, string field)
        {
            if (text is null) return null;
            var parsed = FieldSelector.TryParse(text, out var error);
            if (parsed is null) problems.Add($"{where}: Selectors.{field} '{text}' {error}");
            return parsed;
        }
    }

    private static T? Deserialize<T>(JsonElement element, T defaults, string label, List<string> problems) where T : class
    {
        var contract = CoreJsonContext.TypeInfo<T>(JsonOptions);
        try
        {
            return element.ValueKind == JsonValueKind.Object ? WithDefaults(element, defaults, contract) : element.Deserialize(contract);
        }
        catch (JsonException ex)
        {
            problems.Add($"{label}: {Describe(ex, contract)}");
            return null;
        }
    }

    /// <summary>
    /// Reads <paramref name="element"/> with the optional members it leaves out written in with their initial values (from
    /// <paramref name="defaults"/>). The generated contract sets every init-only member, given or not (dotnet/runtime#84484):
    /// without this an entry with no "Interval" would read as zero and a section with no "Language" as null.
    /// </summary>
    private static T? WithDefaults<T>(JsonElement element, T defaults, JsonTypeInfo<T> contract) where T : class
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var given in element.EnumerateObject()) given.WriteTo(writer);
            foreach (var member in contract.Properties)
            {
                if (member.IsRequired || member.Get is null
                    || element.EnumerateObject().Any(given => string.Equals(given.Name, member.Name, StringComparison.OrdinalIgnoreCase))) continue;
                writer.WritePropertyName(member.Name);
                JsonSerializer.Serialize(writer, member.Get(defaults), contract.Options.GetTypeInfo(member.PropertyType));
            }
            writer.WriteEndObject();
        }
        return JsonSerializer.Deserialize(buffer.WrittenSpan, contract);
    }

    /// <summary>System.Text.Json messages name .NET types; say what a maintainer can fix instead.</summary>
    private static string Describe(JsonException ex, JsonTypeInfo contract)
    {
        var path = ex.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : null;
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) message = message[..cut];
        // The generated contract reads init-only members as constructor arguments, and a value that does not convert is
        // reported against the record holding it; name the member's own type, as reflection did.
        if (path is not null && Member(contract, path) is { } found)
            message = message.Replace($"converted to {found.Owner}.", $"converted to {found.Member}.", StringComparison.Ordinal);
        if (message.Contains("TimeSpan", StringComparison.Ordinal))
            message = "expected a duration such as \"01:00:00\"";
        return path is null ? message : $"{path}: {message}";
    }

    /// <summary>The type holding the member <paramref name="path"/> names, and the member's type; null past an array index.</summary>
    private static (Type Owner, Type Member)? Member(JsonTypeInfo contract, string path)
    {
        (Type, Type)? found = null;
        foreach (var name in path.Split('.'))
        {
            var member = name.Contains('[') ? null
                : contract.Properties.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
            if (member is null) return null;
            found = (contract.Type, member.PropertyType);
            contract = contract.Options.GetTypeInfo(member.PropertyType);
        }
        return found;
    }

    /// <summary>True when .NET accepts the text as a date format: a format that cannot even format a date would never match.</summary>
    private static bool IsDateFormat(string format)
    {
        try
        {
            _ = new DateTime(2021, 10, 7, 10, 30, 0).ToString(format, CultureInfo.InvariantCulture);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool TryHttpUri(string text, out Uri? uri) =>
        Uri.TryCreate(text, UriKind.Absolute, out uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguagePattern();
}
