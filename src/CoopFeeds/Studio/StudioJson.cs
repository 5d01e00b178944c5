using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CoopFeeds.Core;
using CoopFeeds.Core.Sources;
using CoopFeeds.Core.Suggestion;

namespace CoopFeeds.Studio;

/// <summary>Why a studio request was refused, or what was wrong with what it asked for: every problem, in plain words.</summary>
public sealed record ProblemList(IReadOnlyList<string> Problems);

/// <summary>
/// The JSON of the studio's API: camelCase; a body is read only up to <see cref="StudioOptions.MaxRequestBytes"/> (413
/// past it), and a body that is not JSON, or names a field the request does not have, is refused (400) with the reason.
/// </summary>
internal static class StudioJson
{
    /// <summary>The API's requests and answers, each a property (<c>Api.FetchRequest</c>…) bound to the API's options.</summary>
    public static readonly StudioJsonContext Api = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        // A misspelt field ("selector" for "source") would otherwise be ignored, and the request would do something else.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        // "Selectors" and "selectors" in one entry: the loader matches names ignoring case, so which one counts is a guess.
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Maintainers read these answers: keep ’ and é as they are (still valid JSON; a browser never parses it as HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>
    /// Core's options for what the command line prints (<c>ItemJson.Options</c>, <c>SuggestionJson.Options</c>): nulls
    /// kept, except a selector not proposed, which is left out.
    /// </summary>
    private static readonly JsonSerializerOptions CoreOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = StudioCoreJsonContext.Default.WithAddedModifier(LeaveOutSelectorsNotProposed),
    };

    /// <summary>An item as <c>preview --json</c> prints it.</summary>
    public static readonly JsonTypeInfo<ItemJson> Item = (JsonTypeInfo<ItemJson>)CoreOptions.GetTypeInfo(typeof(ItemJson));

    /// <summary>What <c>suggest --json</c> prints.</summary>
    public static readonly JsonTypeInfo<SuggestionResult> Suggestion =
        (JsonTypeInfo<SuggestionResult>)CoreOptions.GetTypeInfo(typeof(SuggestionResult));

    /// <summary>The request body as <typeparamref name="T"/>, or the answer that refuses it.</summary>
    public static async Task<(T? Value, IResult? Refusal)> ReadAsync<T>(
        HttpRequest request, JsonTypeInfo<T> type, long maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > maxBytes) return (null, TooLarge(maxBytes));
            body.Write(chunk, 0, read);
        }
        if (body.Length == 0) return (null, Refuse(StatusCodes.Status400BadRequest, "the request needs a JSON body"));

        try
        {
            var value = JsonSerializer.Deserialize(body.ToArray(), type);
            return value is null ? (null, Refuse(StatusCodes.Status400BadRequest, "the body must be a JSON object, not null")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Refuse(StatusCodes.Status400BadRequest, Reason(ex)));
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // A case-insensitive JsonObject ("source") meeting two spellings of one name, on runtimes that throw here.
            return (null, Refuse(StatusCodes.Status400BadRequest, "a field is given twice (names are matched ignoring case)"));
        }
    }

    public static IResult Refuse(int status, params IReadOnlyList<string> problems) =>
        TypedResults.Json(new ProblemList(problems), Api.ProblemList, statusCode: status);

    private static void LeaveOutSelectorsNotProposed(JsonTypeInfo info)
    {
        if (info.Type != typeof(SelectorSet)) return;
        foreach (var property in info.Properties) property.ShouldSerialize = (_, value) => value is not null;
    }

    private static IResult TooLarge(long maxBytes) =>
        Refuse(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBytes} bytes (Studio:MaxRequestBytes)");

    /// <summary>The serializer's reason without the .NET type names it mentions: where in the body, and what.</summary>
    internal static string Reason(JsonException ex)
    {
        var where = ex.Path is { Length: > 1 } path ? $" at {path}" : "";
        var message = ex.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
            return $"unknown field{where}: the request has no such field";
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var names = message[(message.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().TrimEnd('.');
            return $"missing required field(s): {names}";
        }
        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
            return $"a field is given twice{where} (names are matched ignoring case)";
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            return $"a field has the wrong type{where}";
        return $"the body is not valid JSON{where}: {FirstSentence(message)}";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
