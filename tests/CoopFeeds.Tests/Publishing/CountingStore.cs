using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using CoopFeeds.Storage;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// The service's own store, counting every call made to it by method: a document served from memory makes none. Made with a
/// proxy, so it forwards every member of <see cref="IItemStore"/> as it is; <see cref="GatedStore"/> builds on it.
/// </summary>
internal class CountingStore : DispatchProxy
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private IItemStore _inner = null!;

    protected IItemStore Inner => _inner;

    protected void Count(MethodInfo method) => _calls.AddOrUpdate(method.Name, 1, (_, count) => count + 1);

    /// <summary>Calls to any member so far.</summary>
    public int Calls => _calls.Values.Sum();

    /// <summary>Calls to the member named <paramref name="method"/> so far.</summary>
    public int CallsTo(string method) => _calls.GetValueOrDefault(method);

    /// <summary>Registers a <typeparamref name="T"/> in place of the store the service would use, and returns it.</summary>
    public static T Replace<T>(IServiceCollection services) where T : CountingStore
    {
        var original = services.Last(d => d.ServiceType == typeof(IItemStore));
        var proxy = Create<IItemStore, T>();
        var typed = (T)(object)proxy;
        services.AddSingleton(serviceProvider =>
        {
            typed._inner = (IItemStore)original.ImplementationFactory!(serviceProvider);
            return proxy;
        });
        return typed;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        Count(targetMethod);
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
}
