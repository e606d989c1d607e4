using MarketFeed.Chains;
using MarketFeed.Feeds;
using MarketFeed.History;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Taps;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli;

/// <summary>Starting a feed for a command, with usage errors (unknown feed or symbol) turned into exit code 2.</summary>
internal static class CliHost
{
    /// <summary>One feed for <paramref name="command"/>, which takes one (a list is refused with exit code 2).</summary>
    public static Task<MarketFeedHost> StartAsync(CliEnvironment environment, string feed, string command, CancellationToken cancellationToken) =>
        StartAsync(environment, CliConfiguration.Build(environment, out _), CliOptions.Single(feed, command), cancellationToken);

    /// <summary>As above, with the configured candle store (<c>History</c> section): series load from it first and write to it.</summary>
    public static Task<MarketFeedHost> StartWithCandleStoreAsync(CliEnvironment environment, string feed, string command, CancellationToken cancellationToken)
    {
        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        return StartAsync(environment, configuration, CliOptions.Single(feed, command), cancellationToken, history: CandleStoreOptions.From(configuration));
    }

    public static async Task<MarketFeedHost> StartAsync(
        CliEnvironment environment, IConfiguration configuration, string feed, CancellationToken cancellationToken, IRawFrameTap? rawFrames = null, CandleStoreOptions? history = null)
    {
        return await MarketFeedHost.StartAsync(
            new MarketFeedOptions
            {
                Feed = feed,
                Configuration = configuration,
                Hub = configuration.GetSection("Hub").Get<HubOptions>() ?? new HubOptions(),
                Chains = configuration.GetSection("Chains").Get<ChainOptions>() ?? new ChainOptions(),
                Time = environment.Time,
                Catalog = environment.Catalog,
                RawFrames = rawFrames,
                History = history,
                LoggerFactory = environment.LoggerFactory,
            },
            cancellationToken);
    }

    /// <summary>Loads a feed's instrument master without connecting (for search).</summary>
    public static async Task<InstrumentRegistry> LoadInstrumentsAsync(CliEnvironment environment, string feed, CancellationToken cancellationToken)
    {
        CliOptions.Single(feed, "instruments");
        IConfiguration configuration = CliConfiguration.Build(environment, out _);
        await using IFeed created = environment.Catalog.Get(feed).Create(configuration, environment.Time);
        var registry = new InstrumentRegistry();
        await created.LoadInstrumentsAsync(registry, cancellationToken);
        return registry;
    }
}
