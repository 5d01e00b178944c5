using CoopFeeds.Changes;

namespace CoopFeeds.Tests.Changes;

/// <summary>
/// The hub's reader wakes on the first queued change and drains what is there, so the sections one write changed must
/// reach the queue as one change: queued one by one, a reader waking between them pinged the combined feed twice for one
/// move of a source (WebSubTests' move test failed so on a clean clone).
/// </summary>
public sealed class FeedChangeSignalTests
{
    [Fact]
    public void TheSectionsOfOneWriteAreOneQueuedChangeAndMoveTheVersionOnce()
    {
        var signal = new FeedChangeSignal();
        var version = signal.Version;

        signal.Notify("news", "resources");

        Assert.True(signal.Changes.TryRead(out var change));
        Assert.Equal(["news", "resources"], change.Sections);
        Assert.False(signal.Changes.TryRead(out _));
        Assert.Equal(version + 1, signal.Version);
    }

    [Fact]
    public void NoSectionsIsNoChange()
    {
        var signal = new FeedChangeSignal();
        var version = signal.Version;

        signal.Notify([]);

        Assert.False(signal.Changes.TryRead(out _));
        Assert.Equal(version, signal.Version);
    }

    [Fact]
    public void ABlankSectionIsRefused()
    {
        var signal = new FeedChangeSignal();

        Assert.Throws<ArgumentException>(() => signal.Notify("news", " "));
        Assert.False(signal.Changes.TryRead(out _));
    }
}
