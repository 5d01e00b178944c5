namespace CoopFeeds.Core.Outcomes;

/// <summary>The validators of a response, sent back as If-None-Match / If-Modified-Since.</summary>
public sealed record ConditionalValidators(string? ETag, string? LastModified)
{
    public static readonly ConditionalValidators None = new(null, null);
}
