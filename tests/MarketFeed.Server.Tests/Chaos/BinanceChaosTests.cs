using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Binance;
using MarketFeed.Venues.Binance.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Binance Spot under chaos: the adapter against its emulator over loopback, behind the real gateway. Public data: no credentials.</summary>
public sealed class BinanceChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: false, Books: true, BookGapFault: "depthgap");

    protected override Task<ChaosVenue> StartAsync() => StartVenueAsync();

    internal static async Task<ChaosVenue> StartVenueAsync()
    {
        BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Binance"))
        {
            ["Binance:StreamUrl"] = emulator.StreamUrl.ToString().TrimEnd('/'),
            ["Binance:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Binance:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-binance-chaos-").FullName,
            ["Binance:PollInterval"] = "00:00:00.500",
        };
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new BinanceFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync)
        {
            SetFaults = spec => emulator.SetFaults(spec),
        };
        emulator.Sent += (symbol, tick) =>
        {
            if (tick.Ltp.HasValue)
            {
                venue.RecordSent("BINANCE:" + symbol, tick.Ltp);
            }
        };

        // Quiet until somebody subscribes: Binance sends nothing on an empty connection but pings, so connected
        // means the idle probe was answered.
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
