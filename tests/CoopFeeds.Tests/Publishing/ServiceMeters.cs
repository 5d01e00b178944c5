using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CoopFeeds.Tests.Publishing;

/// <summary>
/// The "CoopFeeds" instruments of one running service, read as the metrics endpoint would read them: counters and up-down
/// counters summed from the moment this starts listening, gauges as last observed. Other services running in the same test
/// process have meters of their own (their own meter factory), which are not counted.
/// </summary>
internal sealed class ServiceMeters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Reached)> _waits = [];

    public ServiceMeters(ServiceHost host)
    {
        var scope = host.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == Telemetry.CoopFeedsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument is ObservableGauge<long>) _values[instrument.Name] = value;
            else _values.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            Signal();
        });
        _listener.Start();
    }

    /// <summary>The instrument's value now (observable instruments are observed first).</summary>
    public long Read(string name)
    {
        _listener.RecordObservableInstruments();
        return _values.GetValueOrDefault(name);
    }

    /// <summary>Completes when <paramref name="condition"/> holds for the instrument's value: a signal, not a poll.</summary>
    public Task WaitForAsync(string name, Func<long, bool> condition)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _waits.Add((() => condition(_values.GetValueOrDefault(name)), reached));
        Signal();
        return reached.Task.WaitAsync(TimeSpan.FromSeconds(30)); // a safety net for a broken test, never a sleep
    }

    private void Signal()
    {
        lock (_lock)
        {
            foreach (var wait in _waits.Where(w => w.Condition()).ToList())
            {
                _waits.Remove(wait);
                wait.Reached.TrySetResult();
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
