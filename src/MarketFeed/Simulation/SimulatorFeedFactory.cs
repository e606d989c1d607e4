using MarketFeed.Feeds;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Simulation;

/// <summary>Creates the simulator from configuration section <c>Sim</c> (see <see cref="SimulatorOptions"/>).</summary>
public sealed class SimulatorFeedFactory : IFeedFactory
{
    public string Name => SimulatorFeed.FeedName;

    public string Description => "built-in simulator: NSE indices, equities, NIFTY futures and options, BTC/ETH; no credentials";

    public IFeed Create(IConfiguration configuration, TimeProvider time)
    {
        var options = new SimulatorOptions();
        configuration.GetSection("Sim").Bind(options);
        return new SimulatorFeed(options, time);
    }
}
