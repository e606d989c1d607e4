using MarketFeed.Feeds;

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

    /// <summary>Cancelled by Ctrl+C in the real console.</summary>
    public CancellationToken Cancellation { get; init; }
}
