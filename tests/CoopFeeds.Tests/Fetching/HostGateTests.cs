using CoopFeeds.Fetching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Fetching;

public sealed class HostGateTests
{
    private static (HostGate Gate, FakeTimeProvider Clock) Create(TimeSpan delay)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (new HostGate(clock, Options.Create(new FetchOptions { PerHostDelay = delay })), clock);
    }

    [Fact]
    public async Task OneHostTakesOneRequestAtATimeWithTheDelayBetween()
    {
        var (gate, clock) = Create(TimeSpan.FromSeconds(2));
        var first = await gate.EnterAsync("site.example", CancellationToken.None);

        var second = gate.EnterAsync("SITE.example", CancellationToken.None);
        Assert.False(second.IsCompleted);

        first.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(second.IsCompleted);

        clock.Advance(TimeSpan.FromSeconds(1));
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }

    [Fact]
    public async Task OtherHostsDoNotWait()
    {
        var (gate, _) = Create(TimeSpan.FromMinutes(1));
        using var first = await gate.EnterAsync("a.example", CancellationToken.None);

        var other = gate.EnterAsync("b.example", CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        (await other).Dispose();
    }

    [Fact]
    public async Task AWaitingRequestCanBeCancelledWithoutTakingTheTurn()
    {
        var (gate, clock) = Create(TimeSpan.FromSeconds(5));
        (await gate.EnterAsync("a.example", CancellationToken.None)).Dispose();
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync("a.example", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        clock.Advance(TimeSpan.FromSeconds(5));
        (await gate.EnterAsync("a.example", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
