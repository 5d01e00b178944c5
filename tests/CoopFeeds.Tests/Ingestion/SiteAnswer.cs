using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// What one path of a <see cref="FaultSite"/> answers, as WireMock.Net mappings. The turns answer one request each, in order
/// (a WireMock scenario), and the last answers every request after it; within a turn, the first rule whose condition the
/// request meets gives the response (the rules become mappings of rising priority).
/// </summary>
internal sealed record SiteAnswer
{
    public required IReadOnlyList<Turn> Turns { get; init; }

    /// <summary>One answer: the first of its rules that applies gives the response.</summary>
    public sealed record Turn(IReadOnlyList<Rule> Rules);

    /// <summary>A response, given when <see cref="When"/> (a narrowing of the path's request match) holds, or always when it is null.</summary>
    public sealed record Rule(Func<IRequestBuilder, IRequestBuilder>? When, IResponseBuilder Response);

    public static SiteAnswer Always(IResponseBuilder response) => new() { Turns = [new Turn([new Rule(null, response)])] };
}
