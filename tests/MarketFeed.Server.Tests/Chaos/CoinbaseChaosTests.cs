using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Coinbase;
using MarketFeed.Venues.Coinbase.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Coinbase Advanced Trade under chaos: the adapter against its emulator over loopback, behind the real gateway. Public data: no credentials.</summary>
public sealed class CoinbaseChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: false, Books: true, BookGapFault: "seqgap");

    protected override Task<ChaosVenue> StartAsync() => StartVenueAsync();

    internal static async Task<ChaosVenue> StartVenueAsync()
    {
        CoinbaseEmulator emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 20 });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Coinbase"))
        {
            ["Coinbase:StreamUrl"] = emulator.StreamUrl.ToString().TrimEnd('/'),
            ["Coinbase:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Coinbase:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-coinbase-chaos-").FullName,
            ["Coinbase:PollInterval"] = "00:00:00.500",
        };
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new CoinbaseFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "COINBASE:BTC-USD", "COINBASE:ETH-USD", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync)
        {
            SetFaults = spec => emulator.SetFaults(spec),
        };
        emulator.Sent += (symbol, tick) =>
        {
            if (tick.Ltp.HasValue)
            {
                venue.RecordSent("COINBASE:" + symbol, tick.Ltp);
            }
        };

        // Quiet until somebody subscribes: the idle probe subscribes heartbeats, so connected means Coinbase answered.
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
