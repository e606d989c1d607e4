using MarketFeed.Cli.Output;
using MarketFeed.Feeds;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Cli;

/// <summary>Where a command reads and writes, and what it runs on: the console normally, captured writers in tests.</summary>
public sealed class CliEnvironment(TextWriter output, TextWriter error, TextReader input)
{
    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TextReader Input { get; } = input;

    /// <summary>Configuration applied over appsettings.json and MARKETFEED_ variables (tests set the simulator's rate here).</summary>
    public IDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    public FeedCatalog Catalog { get; init; } = MarketFeed.Venues.KnownVenues.Catalog;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the library's log goes: <see cref="Error"/>, one line per event — feed state changes (connected,
    /// reconnecting, polling, auth_failed, ...) and failures at Information and above, framework noise only from Warning.
    /// </summary>
    public ILoggerFactory LoggerFactory => _loggerFactory ??= Microsoft.Extensions.Logging.LoggerFactory.Create(b => b
        .AddProvider(new ErrorWriterLoggerProvider(Error))
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft", LogLevel.Warning)
        .AddFilter("System", LogLevel.Warning));

    private ILoggerFactory? _loggerFactory;

    /// <summary>Cancelled by Ctrl+C in the real console.</summary>
    public CancellationToken Cancellation { get; init; }
}
