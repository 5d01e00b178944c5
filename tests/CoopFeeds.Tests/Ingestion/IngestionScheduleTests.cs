using CoopFeeds.Ingestion;

namespace CoopFeeds.Tests.Ingestion;

public sealed class IngestionScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromHours(24);

    [Fact]
    public void AHealthySourceIsDueOneIntervalLater() =>
        Assert.Equal(T0 + Hour, IngestionSchedule.NextAttempt(T0, Hour, 0, null, Day, 0.1, 0));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 24)]
    [InlineData(40, 24)]
    public void ConsecutiveFailuresDoubleTheWaitUpToTheCap(int failures, int hours) =>
        Assert.Equal(T0 + TimeSpan.FromHours(hours), IngestionSchedule.NextAttempt(T0, Hour, failures, null, Day, 0, 0));

    [Fact]
    public void AnIntervalLongerThanTheCapIsNeverShortened() =>
        Assert.Equal(T0 + TimeSpan.FromDays(7), IngestionSchedule.NextAttempt(T0, TimeSpan.FromDays(7), 4, null, Day, 0, 0));

    [Fact]
    public void JitterPushesLaterByUpToItsFraction()
    {
        Assert.Equal(T0 + Hour * 1.1, IngestionSchedule.NextAttempt(T0, Hour, 0, null, Day, 0.1, 1));
        Assert.Equal(T0 + Hour * 1.05, IngestionSchedule.NextAttempt(T0, Hour, 0, null, Day, 0.1, 0.5));
    }

    [Fact]
    public void RetryAfterIsNeverUndercut()
    {
        Assert.Equal(T0 + TimeSpan.FromHours(3), IngestionSchedule.NextAttempt(T0, Hour, 1, T0 + TimeSpan.FromHours(3), Day, 0, 0));
        Assert.Equal(T0 + Hour, IngestionSchedule.NextAttempt(T0, Hour, 1, T0 + TimeSpan.FromMinutes(5), Day, 0, 0));
        // Counted from the answer: a run that took a while before its 429 waits the whole Retry-After after it.
        Assert.Equal(T0 + TimeSpan.FromSeconds(70), IngestionSchedule.NextAttempt(T0, TimeSpan.FromSeconds(3), 1, T0 + TimeSpan.FromSeconds(70), Day, 0.1, 1));
    }

    [Fact]
    public void OverdueSourcesAreSpreadOverTheWindowMostOverdueFirst()
    {
        var spread = IngestionSchedule.SpreadOverdue(
            [("c", T0 - Hour), ("a", T0 - Day), ("d", T0), ("b", T0 - Hour)], T0, TimeSpan.FromMinutes(1));

        Assert.Equal(
            [("a", T0), ("b", T0 + TimeSpan.FromSeconds(15)), ("c", T0 + TimeSpan.FromSeconds(30)), ("d", T0 + TimeSpan.FromSeconds(45))],
            spread);
        Assert.Equal([("only", T0)], IngestionSchedule.SpreadOverdue([("only", T0 - Day)], T0, TimeSpan.FromMinutes(1)));
        Assert.Empty(IngestionSchedule.SpreadOverdue([], T0, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void TheMedianIsTheMiddleCount()
    {
        Assert.Null(IngestionSchedule.Median([]));
        Assert.Equal(10, IngestionSchedule.Median([10, 2, 12]));
        Assert.Equal(7, IngestionSchedule.Median([4, 10, 6, 8]));
    }
}
