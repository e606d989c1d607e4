using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Bus.Tests;

/// <summary>Keeps every log line (level and text) written through it, for tests that check what was reported.</summary>
internal sealed class ListLogger : ILoggerProvider, ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Text)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ListLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
