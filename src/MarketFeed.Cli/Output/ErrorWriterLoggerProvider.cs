using Microsoft.Extensions.Logging;

namespace MarketFeed.Cli.Output;

/// <summary>
/// Log lines on the command's stderr, one line each (<c>marketfeed: ...</c>), never a stack trace: what the library logs
/// (feed state changes, history failures) reaches the user of <c>run</c>, <c>watch</c> and <c>console</c> without mixing
/// into the data on stdout.
/// </summary>
internal sealed class ErrorWriterLoggerProvider(TextWriter error) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            error.WriteLine(line);
            error.Flush();
        }
    }

    private sealed class Logger(ErrorWriterLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string message = formatter(state, exception);
            if (exception is not null)
            {
                message += ": " + exception.Message;
            }

            provider.Write("marketfeed: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)));
        }
    }
}
