using CoopFeeds.Fetching;
using CoopFeeds.Ingestion;
using CoopFeeds.Serving;
using Microsoft.Extensions.Options;

namespace CoopFeeds.Tests;

/// <summary>
/// The settings' attributes ([Required], [Range]) are checked at start by validators generated at compile time, which refuse
/// the same settings as ValidateDataAnnotations (reflection) did, naming the same members, and a bad setting still stops the start.
/// </summary>
public sealed class SettingsAttributesTests
{
    [Fact]
    public void FetchSettingsBreakingEveryAttributeAreRefusedAsBefore()
    {
        var bad = new FetchOptions { UserAgent = null!, MaxBodyBytes = 10, MaxRedirects = 0, MaxRetries = 11, CircuitMinimumThroughput = 1 };

        var failures = SameAsReflection(new FetchOptionsValidator(), bad);

        Assert.Equal(5, failures.Count);
    }

    [Fact]
    public void IngestionSettingsBreakingEveryAttributeAreRefusedAsBefore()
    {
        var bad = new IngestionOptions { MaxTitleChars = 0, MaxSummaryChars = -1, MaxConcurrency = 65, DriftThreshold = 1.5, IntervalJitter = 0.6 };

        var failures = SameAsReflection(new IngestionOptionsValidator(), bad);

        Assert.Equal(5, failures.Count);
    }

    [Fact]
    public void PublishingSettingsBreakingEveryAttributeAreRefusedAsBeforeAndTheRateLimitIsLeftToItsOwnCheck()
    {
        var bad = new PublishingOptions
        {
            FeedSize = 0, MaxLimit = 10_001, CacheMaxBytes = 0, MaxConcurrentRenders = 1025,
            // Its [Range] was never checked (ValidateDataAnnotations looks into no member without [ValidateObjectMembers]).
            RateLimit = new RateLimitOptions { PermitLimit = 2_000_000 },
        };

        var failures = SameAsReflection(new PublishingOptionsAttributesValidator(), bad);

        Assert.Equal(4, failures.Count);
        Assert.DoesNotContain(failures, f => f.Contains("PermitLimit", StringComparison.Ordinal));
        Assert.True(SameAsReflection(new PublishingOptionsAttributesValidator(), new PublishingOptions()).Count == 0);
    }

    [Theory]
    [InlineData("--Ingestion:MaxRetries=11", "MaxRetries")]
    [InlineData("--Ingestion:MaxConcurrency=0", "MaxConcurrency")]
    [InlineData("--Publishing:FeedSize=0", "FeedSize")]
    public async Task ABadSettingStopsTheStartNamingIt(string setting, string name)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => ServiceHost.StartAsync(null, setting));

        Assert.Contains($"{name}: The field", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The generated validator's failures, asserted to name the same members in the same order as reflection's. The wording
    /// differs: reflection wrote "DataAnnotation validation failed for 'FetchOptions' members: 'MaxRetries' with the error:
    /// 'The field MaxRetries must be between 0 and 10.'", the generated one "MaxRetries: The field FetchOptions.MaxRetries must
    /// be between 0 and 10."
    /// </summary>
    private static List<string> SameAsReflection<T>(IValidateOptions<T> generated, T options) where T : class
    {
        var byReflection = new DataAnnotationValidateOptions<T>(Options.DefaultName).Validate(Options.DefaultName, options);
        var result = generated.Validate(Options.DefaultName, options);

        Assert.Equal(byReflection.Failed, result.Failed);
        var members = (byReflection.Failures ?? []).Select(f => f.Split("members: '")[1].Split('\'')[0]);
        Assert.Equal(members, (result.Failures ?? []).Select(f => f.Split(':')[0]));
        return [.. result.Failures ?? []];
    }
}
