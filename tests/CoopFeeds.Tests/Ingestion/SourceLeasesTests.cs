using CoopFeeds.Ingestion;
using CoopFeeds.Storage;
using CoopFeeds.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoopFeeds.Tests.Ingestion;

/// <summary>
/// A run holds its lease while it goes on: renewed on the (fake) clock, so a run slower than the lease is never taken over,
/// and abandoned when another holder took the source over after all.
/// </summary>
public sealed class SourceLeasesTests : IAsyncDisposable
{
    private static readonly TimeSpan Duration = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30); // a safety net for a broken test, never a sleep
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("coopfeeds-leases-").FullName;
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly SqliteItemStore _store;
    private readonly SourceLeases _leases;

    public SourceLeasesTests()
    {
        _store = SqliteItemStore.ForFile(Path.Combine(_folder, "coopfeeds.db"));
        _leases = new SourceLeases(_store, Options.Create(new IngestionOptions { LeaseDuration = Duration }), _clock, NullLogger<SourceLeases>.Instance);
    }

    [Fact]
    public async Task ARunLongerThanItsLeaseKeepsItByRenewingIt()
    {
        await _store.MigrateAsync(CancellationToken.None);
        Assert.True((await _store.TryLeaseAsync(Ask(_leases.Holder), CancellationToken.None)).Granted);

        var result = await _leases.HoldAsync("news", async _ =>
        {
            // Five minutes of a three-minute lease, a renewal period (a third of it) at a time.
            for (var minute = 1; minute <= 5; minute++)
            {
                _clock.Advance(Duration / 3);
                var renewed = _clock.GetUtcNow() + Duration;
                var other = await WhenAsync(() => _store.TryLeaseAsync(Ask("other"), CancellationToken.None), answer => answer.Until == renewed);
                Assert.Equal(LeaseAnswer.HeldByAnother, other.Answer);
            }
            return "done";
        }, CancellationToken.None);

        Assert.Equal("done", result);
    }

    [Fact]
    public async Task ARunWhoseSourceWasTakenOverIsCancelledAndSaysSo()
    {
        await _store.MigrateAsync(CancellationToken.None);
        Assert.True((await _store.TryLeaseAsync(Ask(_leases.Holder), CancellationToken.None)).Granted);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var run = _leases.HoldAsync("news", async cancellation =>
        {
            running.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellation);
            return "never";
        }, CancellationToken.None);
        await running.Task.WaitAsync(Wait);
        // What another instance does once the lease has expired (this process stalled past it), done behind its back.
        TakeOver("news", "other");
        _clock.Advance(Duration / 3);

        var lost = await Assert.ThrowsAsync<LeaseLostException>(() => run.WaitAsync(Wait));
        Assert.Equal("news", lost.SourceId);
        Assert.Equal(LeaseAnswer.HeldByAnother, (await _store.TryLeaseAsync(Ask(_leases.Holder), CancellationToken.None)).Answer);
    }

    [Fact]
    public async Task ARunThatSavedNothingGivesItsLeaseBack()
    {
        await _store.MigrateAsync(CancellationToken.None);
        Assert.True((await _store.TryLeaseAsync(Ask(_leases.Holder), CancellationToken.None)).Granted);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _leases.HoldAsync<string>("news", _ => throw new InvalidOperationException("the run broke"), CancellationToken.None));

        Assert.True((await _store.TryLeaseAsync(Ask("other"), CancellationToken.None)).Granted);
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    private LeaseRequest Ask(string holder) => new() { SourceId = "news", Holder = holder, Now = _clock.GetUtcNow(), Duration = Duration };

    private void TakeOver(string sourceId, string holder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "coopfeeds.db")};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE source_leases SET holder = $holder WHERE source_id = $source";
        command.Parameters.AddWithValue("$holder", holder);
        command.Parameters.AddWithValue("$source", sourceId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    /// <summary>Asks until the answer is the one looked for (the renewal runs on its own, after the clock moved).</summary>
    private static async Task<T> WhenAsync<T>(Func<Task<T>> ask, Func<T, bool> expected)
    {
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            var answer = await ask();
            if (expected(answer)) return answer;
            Assert.True(DateTime.UtcNow < deadline, $"still {answer}");
            await poll.WaitForNextTickAsync();
        }
    }
}
