using CoopFeeds.Core.Sources;

namespace CoopFeeds.Fetching;

/// <summary>
/// What the fetches made for one source may do: the networks they may reach (<see cref="NetworkRule"/>), and whether
/// robots.txt is obeyed.
/// </summary>
public sealed record FetchPolicy(NetworkReach Reach, bool RespectRobots)
{
    public static FetchPolicy For(ConfiguredSource source) => new(
        NetworkRule.ReachOf(source.Location, source.Definition.AllowPrivateNetworks),
        source.Definition.RespectRobots);
}
