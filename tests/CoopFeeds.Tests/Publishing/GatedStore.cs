using System.Reflection;
using CoopFeeds.Core;
using CoopFeeds.Storage;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// The service's own store (counting calls, see <see cref="CountingStore"/>), except that reading items for a text filter
/// (<c>?q=</c>, a rendering's store read) waits until the test opens the gate, and counts how many such reads are inside at
/// once. Register it with <c>CountingStore.Replace&lt;GatedStore&gt;</c>.
/// </summary>
internal class GatedStore : CountingStore
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private int _inside;

    /// <summary>The most filtered reads seen inside at once.</summary>
    public int MostInside { get; private set; }

    /// <summary>Released once each time a filtered read arrives.</summary>
    public SemaphoreSlim Arrivals { get; } = new(0);

    public void Open() => _open.TrySetResult();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IItemStore.GetItemsAsync) && args![0] is ItemQuery { Text: not null } query)
        {
            Count(targetMethod);
            return GatedReadAsync(query, (CancellationToken)args[1]!);
        }
        return base.Invoke(targetMethod, args);
    }

    private async Task<IReadOnlyList<StoredItem>> GatedReadAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        lock (_lock) MostInside = Math.Max(MostInside, ++_inside);
        Arrivals.Release();
        try
        {
            await _open.Task;
            return await Inner.GetItemsAsync(query, cancellationToken);
        }
        finally
        {
            lock (_lock) _inside--;
        }
    }
}
