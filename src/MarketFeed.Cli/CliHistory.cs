using MarketFeed.History;
using MarketFeed.Simulation;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Cli;

/// <summary>The candle store a command uses: the <c>History</c> section, with the simulator's bars kept in a file of their own.</summary>
internal static class CliHistory
{
    /// <summary>
    /// The <c>History</c> settings for <paramref name="feed"/>. The simulator names real symbols (NSE:INFY), so unless
    /// <c>History:Sqlite</c> says otherwise its bars go to <c>sim-candles.db</c>, never mixed with a venue's; a bus
    /// consumer's to <c>bus-candles.db</c> (what it relays may come from simulators).
    /// </summary>
    public static CandleStoreOptions Options(IConfiguration configuration, string feed)
    {
        CandleStoreOptions options;
        try
        {
            options = CandleStoreOptions.From(configuration);
            options.Validate();
        }
        catch (Exception e) when (e is InvalidOperationException or CandleStoreException)
        {
            throw new UsageException(e.Message);
        }

        if (configuration["History:Sqlite"] is null
            && (feed.Equals(SimulatorFeed.FeedName, StringComparison.OrdinalIgnoreCase) || feed.Equals(MarketFeed.Bus.Consuming.BusFeed.FeedName, StringComparison.OrdinalIgnoreCase)))
        {
            options.Sqlite = $"{feed.ToLowerInvariant()}-candles.db";
        }

        return options;
    }
}
