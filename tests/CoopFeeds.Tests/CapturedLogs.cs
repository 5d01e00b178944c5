using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CoopFeeds.Tests;

/// <summary>Every log entry a service writes, as text: the message, each structured value, each scope and the exception.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private readonly Lock _waitersLock = new();
    private readonly List<(string Text, TaskCompletionSource Signal)> _waiters = [];

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>Completes once an entry containing <paramref name="text"/> is written (at once if one was).</summary>
    public Task WhenLoggedAsync(string text)
    {
        lock (_waitersLock)
        {
            if (_entries.Any(e => e.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((text, signal));
            return signal.Task;
        }
    }

    private void Add(string entry)
    {
        List<TaskCompletionSource> due;
        lock (_waitersLock)
        {
            _entries.Enqueue(entry);
            due = [.. _waiters.Where(w => entry.Contains(w.Text, StringComparison.Ordinal)).Select(w => w.Signal)];
            _waiters.RemoveAll(w => entry.Contains(w.Text, StringComparison.Ordinal));
        }
        foreach (var signal in due) signal.TrySetResult();
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) text.Append($" | {key}={value}");
            owner._scopes.ForEachScope((scope, builder) => builder.Append($" | scope {scope}"), text);
            if (exception is not null) text.Append(" | ").Append(exception);
            owner.Add(text.ToString());
        }
    }
}
