using System.Globalization;

namespace CoopFeeds.Scale;

/// <summary>A verb's <c>--name value</c> options and its other words, as bench/scale.sh passes them.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Words { get; private init; } = [];

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var parsed = new Arguments { Words = words };
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count) parsed._options[args[i][2..]] = args[++i];
            else words.Add(args[i]);
        }
        return parsed;
    }

    public string Text(string name) =>
        _options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");

    public int Number(string name) => int.Parse(Text(name), CultureInfo.InvariantCulture);
}
