using System.ComponentModel.DataAnnotations;

namespace CoopFeeds.Publishing;

/// <summary>Settings under <c>Publishing:</c>.</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The public address of this service (links and self links); when unset, built from each request.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Newest items in a subscription feed.</summary>
    [Range(1, 1000)]
    public int FeedSize { get; set; } = 50;

    /// <summary>The largest <c>?limit=</c> a partner may ask for.</summary>
    [Range(1, 10000)]
    public int MaxLimit { get; set; } = 500;

    public Uri? HubUrl { get; set; }

    /// <summary>Proxies whose X-Forwarded-Proto/Host are believed.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Name in the feeds' author element (Atom requires one).</summary>
    public string Author { get; set; } = "CoopFeeds";
}
