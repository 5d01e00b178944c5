using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CoopFeeds.Tests.Docker;

/// <summary>
/// A compose file of docker/, read as <c>docker compose</c> reads it with no variable set: every <c>${NAME:-default}</c>
/// takes its default, and <c>&lt;&lt;: *anchor</c> merges the shared keys into each service.
/// </summary>
internal sealed partial class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(string path, YamlMappingNode root)
    {
        FilePath = path;
        _root = root;
    }

    public string FilePath { get; }

    public static ComposeFile Load(string fileName)
    {
        var path = Path.Combine(RepoPaths.Root, "docker", fileName);
        var text = Variable().Replace(File.ReadAllText(path), match => match.Groups["default"].Success
            ? match.Groups["default"].Value
            : throw new InvalidOperationException($"{fileName}: {match.Value} has no default, so the file does not run as it is"));
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        return new ComposeFile(path, (YamlMappingNode)stream.Documents[0].RootNode);
    }

    public IReadOnlyDictionary<string, YamlMappingNode> Services =>
        Map(_root, "services").Children.ToDictionary(entry => Scalar(entry.Key), entry => (YamlMappingNode)entry.Value);

    /// <summary>The services built from docker/Dockerfile: the CoopFeeds instances.</summary>
    public IReadOnlyDictionary<string, YamlMappingNode> Instances =>
        Services.Where(s => Find(s.Value, "build") is YamlMappingNode build && Find(build, "dockerfile") is YamlScalarNode { Value: "docker/Dockerfile" })
            .ToDictionary();

    public YamlMappingNode Network(string name) => Map(Map(_root, "networks"), name);

    /// <summary>A service's environment, written as a mapping (<c>Key: value</c>).</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service) =>
        Find(service, "environment") is YamlMappingNode environment
            ? environment.Children.ToDictionary(entry => Scalar(entry.Key), entry => Scalar(entry.Value))
            : new Dictionary<string, string>();

    /// <summary>The arguments a service's <c>command</c> gives the image's entrypoint.</summary>
    public static IReadOnlyList<string> Command(YamlMappingNode service) => Sequence(service, "command");

    /// <summary>A service's mounts, as the short form writes them: source, target and, when given, the mode (<c>ro</c>).</summary>
    public static IReadOnlyList<(string Source, string Target, string? Mode)> Volumes(YamlMappingNode service) =>
        Sequence(service, "volumes").Select(volume => volume.Split(':')).Select(parts => (parts[0], parts[1], parts.Length > 2 ? parts[2] : null)).ToList();

    /// <summary>The folder on the host a bind mount's source names (relative to this file's folder, as compose reads it).</summary>
    public string HostFolder(string source) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(FilePath)!, source));

    public static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)(Find(node, key) ?? throw Missing(key));

    public static string Scalar(YamlMappingNode node, string key) => Scalar(Find(node, key) ?? throw Missing(key));

    public static IReadOnlyList<string> Sequence(YamlMappingNode node, string key) =>
        Find(node, key) is YamlSequenceNode sequence ? sequence.Children.Select(Scalar).ToList() : [];

    public static YamlNode? Find(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    private static KeyNotFoundException Missing(string key) => new($"no '{key}'");

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Variable();
}
