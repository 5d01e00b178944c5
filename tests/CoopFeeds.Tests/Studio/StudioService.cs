using CoopFeeds.Tests.Ingestion;

namespace CoopFeeds.Tests.Studio;

/// <summary>
/// The real service with the studio switched on, over a sources file in a temporary folder that it may edit and that
/// already holds a source (the browser tests repair it, list it, save beside it); <see cref="StudioHost"/> is the API tests' empty one.
/// </summary>
internal static class StudioService
{
    public const string Token = StudioHost.Token;

    /// <summary>
    /// The studio on, with its token; private networks allowed, since the test sites are on loopback. The sources file is
    /// checked often, so a saved source is picked up soon by the service's own reload (which the tests then await).
    /// </summary>
    public static readonly string[] Settings =
    [
        "--Studio:Enabled=true",
        $"--Studio:Token={Token}",
        "--Studio:AllowPrivateNetworks=true",
        "--Sources:ReloadInterval=00:00:00.200",
    ];

    /// <summary>The id of the source already in <see cref="SourcesFile"/>.</summary>
    public const string ExistingSource = "bakers-coop-news";

    /// <summary>The existing source's interval: a field the studio's form does not show, which a repair must keep.</summary>
    public const string ExistingInterval = "02:30:00";

    /// <summary>A sources file with one source already in it (section "faults"), reading <paramref name="site"/>'s /bakers page.</summary>
    public static FaultSources SourcesFile(FaultSite site)
    {
        site.Serve("/bakers", FaultSite.Html(FaultSite.Listing(3)));
        return FaultSources.Write(new SourceSpec(ExistingSource, site.Url("/bakers").AbsoluteUri, Interval: ExistingInterval) { AllowPrivateNetworks = true });
    }

    public static Task<ServiceHost> StartAsync(FaultSources file, params string[] more) => file.StartServiceAsync([.. Settings, .. more]);

    public static Uri Page(ServiceHost host) => new(host.Address, "studio");
}
