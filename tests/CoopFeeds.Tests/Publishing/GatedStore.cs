using System.Reflection;
using System.Runtime.ExceptionServices;
using CoopFeeds.Core;
using CoopFeeds.Storage;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// The service's own store, except that reading items for a text filter (<c>?q=</c>, a rendering's store read) waits until the
/// test opens the gate, and counts how many such reads are inside at once. Made with a proxy, so it forwards every other
/// member of <see cref="IItemStore"/> as it is.
/// </summary>
internal class GatedStore : DispatchProxy
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private IItemStore _inner = null!;
    private int _inside;

    /// <summary>The most filtered reads seen inside at once.</summary>
    public int MostInside { get; private set; }

    /// <summary>Released once each time a filtered read arrives.</summary>
    public SemaphoreSlim Arrivals { get; } = new(0);

    /// <summary>Registers the gated store in place of the one the service would use, and returns it.</summary>
    public static GatedStore Replace(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IItemStore));
        var proxy = Create<IItemStore, GatedStore>();
        var gated = (GatedStore)(object)proxy;
        services.AddSingleton(serviceProvider =>
        {
            gated._inner = (IItemStore)original.ImplementationFactory!(serviceProvider);
            return proxy;
        });
        return gated;
    }

    public void Open() => _open.TrySetResult();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (targetMethod!.Name == nameof(IItemStore.GetItemsAsync) && args![0] is ItemQuery { Text: not null } query)
            return GatedReadAsync(query, (CancellationToken)args[1]!);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e)
        {
            ExceptionDispatchInfo.Throw(e.InnerException!);
            throw;
        }
    }

    private async Task<IReadOnlyList<StoredItem>> GatedReadAsync(ItemQuery query, CancellationToken cancellationToken)
    {
        lock (_lock) MostInside = Math.Max(MostInside, ++_inside);
        Arrivals.Release();
        try
        {
            await _open.Task;
            return await _inner.GetItemsAsync(query, cancellationToken);
        }
        finally
        {
            lock (_lock) _inside--;
        }
    }
}
