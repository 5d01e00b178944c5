using CoopFeeds.Core.Sources;

namespace CoopFeeds.Fetching;

/// <summary>
/// What the fetches made for one source may do: the networks they may reach (<see cref="NetworkRule"/>), whether robots.txt
/// is obeyed, and the folder the files they read must be in (null: a path an operator typed, read as given).
/// </summary>
public sealed record FetchPolicy(NetworkReach Reach, bool RespectRobots, string? FileRoot)
{
    public static FetchPolicy For(ConfiguredSource source) => new(
        NetworkRule.ReachOf(source.Location, source.Definition.AllowPrivateNetworks),
        source.Definition.RespectRobots,
        source.FileRoot);
}
