using System.Text.Json;

namespace CoopFeeds.Tests.Docker;

/// <summary>The last stage of docker/Dockerfile (the image that runs), as instructions with their arguments.</summary>
internal sealed class DockerfileStage
{
    private readonly List<(string Instruction, string Arguments)> _instructions;

    private DockerfileStage(List<(string, string)> instructions) => _instructions = instructions;

    public static DockerfileStage LoadRuntime()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "docker", "Dockerfile")).Replace("\\\n", " ");
        var instructions = text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
            .Select(parts => (parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1] : ""))
            .ToList();
        var lastFrom = instructions.FindLastIndex(i => i.Item1 == "FROM");
        return new DockerfileStage(instructions[lastFrom..]);
    }

    /// <summary>The last argument list of an instruction written in exec form (<c>ENTRYPOINT ["dotnet", …]</c>).</summary>
    public IReadOnlyList<string> ExecForm(string instruction) => Json(Last(instruction));

    /// <summary>What HEALTHCHECK runs: its <c>CMD</c>, in exec form.</summary>
    public IReadOnlyList<string> HealthCheck()
    {
        var arguments = Last("HEALTHCHECK");
        var cmd = arguments.IndexOf("CMD ", StringComparison.Ordinal);
        Assert.True(cmd >= 0, "HEALTHCHECK has no CMD: " + arguments);
        return Json(arguments[(cmd + 4)..]);
    }

    /// <summary>The value an <c>ENV NAME=value</c> sets.</summary>
    public string? Environment(string name) =>
        _instructions.Where(i => i.Instruction == "ENV").Select(i => i.Arguments.Split('=', 2))
            .LastOrDefault(pair => pair[0] == name)?[1];

    private string Last(string instruction) => _instructions.Last(i => i.Instruction == instruction).Arguments;

    private static List<string> Json(string execForm) => JsonSerializer.Deserialize<List<string>>(execForm)!;
}
