using Microsoft.Extensions.Options;

namespace CoopFeeds.Studio;

/// <summary>
/// The studio (<c>/studio</c>, <c>/studio/api/*</c>): off unless switched on, and then only with a token. Read from
/// <c>Studio:</c>. Units are in the types: durations are TimeSpans, sizes are bytes.
/// </summary>
public sealed class StudioOptions
{
    public const string Section = "Studio";

    /// <summary>The shortest token accepted: a short one could be guessed by trying.</summary>
    public const int MinTokenLength = 16;

    /// <summary>Off by default: without it every <c>/studio</c> URL answers 404.</summary>
    public bool Enabled { get; set; }

    /// <summary>The bearer token every <c>/studio/api/*</c> request must carry (<c>Authorization: Bearer …</c>).</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Lets the studio fetch loopback and private addresses (a saved local site, tests); a source saved through it carries
    /// <c>"AllowPrivateNetworks": true</c>. Off: only public addresses, whatever the URL names.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long a fetched page is kept for suggestions, previews and snapshots after it was fetched.</summary>
    public TimeSpan FetchedPageLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The most bytes of fetched pages kept at once; the oldest pages go first.</summary>
    public long FetchedPagesMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Fetches (of pages the studio asks for by URL) one token may make within <see cref="FetchWindow"/>.</summary>
    public int FetchesPerWindow { get; set; } = 30;

    /// <summary>The sliding window <see cref="FetchesPerWindow"/> counts over, per token.</summary>
    public TimeSpan FetchWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The largest JSON body a <c>/studio/api/*</c> request may send (413 past it).</summary>
    public long MaxRequestBytes { get; set; } = 256 * 1024;
}

/// <summary>Checks the Studio settings at start and names every problem at once.</summary>
internal sealed class StudioOptionsValidator : IValidateOptions<StudioOptions>
{
    public ValidateOptionsResult Validate(string? name, StudioOptions options)
    {
        var problems = new List<string>();
        if (options.Enabled && string.IsNullOrWhiteSpace(options.Token))
            problems.Add("Studio:Token is required when Studio:Enabled is true: every /studio/api request must carry it as a bearer token");
        else if (options.Enabled && options.Token!.Trim() != options.Token)
            problems.Add("Studio:Token starts or ends with whitespace (a newline from a secrets file?): a request's token is read trimmed, so it could never match; remove it");
        else if (options.Enabled && options.Token!.Length < StudioOptions.MinTokenLength)
            problems.Add($"Studio:Token must be at least {StudioOptions.MinTokenLength} characters long");
        if (options.FetchedPageLifetime <= TimeSpan.Zero)
            problems.Add("Studio:FetchedPageLifetime must be positive");
        if (options.FetchedPagesMaxBytes <= 0)
            problems.Add("Studio:FetchedPagesMaxBytes must be positive");
        if (options.FetchesPerWindow < 1)
            problems.Add("Studio:FetchesPerWindow must be at least 1");
        if (options.FetchWindow <= TimeSpan.Zero)
            problems.Add("Studio:FetchWindow must be positive");
        if (options.MaxRequestBytes < 1024)
            problems.Add("Studio:MaxRequestBytes must be at least 1024");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
