using MarketFeed.Chains;
using MarketFeed.Simulation;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hub;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace MarketFeed.Hosting;

/// <summary>What a <see cref="MarketFeedHost"/> runs. Every property has a default: the simulator on the system clock.</summary>
public sealed class MarketFeedOptions
{
    /// <summary>
    /// Feed name from <see cref="Catalog"/>, or several separated by commas (<c>binance,kite</c>): each runs side by
    /// side with its own connections and health. Default <c>sim</c>.
    /// </summary>
    public string Feed { get; init; } = "sim";

    /// <summary>
    /// Feeds to run in polling mode: REST only, the stream never opened (for networks where the venue's socket is
    /// blocked). Added to those whose <c>Feeds:NAME:Mode</c> is <c>Polling</c> in <see cref="Configuration"/>. Default none.
    /// </summary>
    public IReadOnlyCollection<string> PollingFeeds { get; init; } = [];

    /// <summary>Hub settings. Default <see cref="HubOptions"/> defaults.</summary>
    public HubOptions Hub { get; init; } = new();

    /// <summary>How option chains are priced and windowed. Default <see cref="ChainOptions"/> defaults.</summary>
    public ChainOptions Chains { get; init; } = new();

    /// <summary>Configuration the feed reads its own section from (e.g. <c>Sim</c>). Default empty.</summary>
    public IConfiguration Configuration { get; init; } = new ConfigurationBuilder().Build();

    /// <summary>
    /// Where closed candles are kept (SQLite in the data directory, or PostgreSQL); the gateway binds the <c>History</c>
    /// section here. Default null: a library host stores nothing unless asked.
    /// </summary>
    public CandleStoreOptions? History { get; init; }

    /// <summary>Clock for everything time-dependent. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Sees every frame the feed sends and receives (the journal's raw log). Default none.</summary>
    public IRawFrameTap? RawFrames { get; init; }

    /// <summary>Default: no logging.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Feeds this host can create. Default: the simulator only; venue packages add theirs
    /// (<c>MarketFeed.Venues.KnownVenues.Catalog</c> has every venue this build ships).
    /// </summary>
    public FeedCatalog Catalog { get; init; } = new FeedCatalog().Add(new SimulatorFeedFactory());
}
