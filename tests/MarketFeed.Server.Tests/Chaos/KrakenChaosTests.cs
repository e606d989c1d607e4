using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Kraken;
using MarketFeed.Venues.Kraken.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Kraken v2 under chaos: the adapter against its emulator over loopback, behind the real gateway. Public data: no credentials.</summary>
public sealed class KrakenChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: false, Books: true, BookGapFault: "badchecksum");

    protected override async Task<ChaosVenue> StartAsync()
    {
        KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 20, RestCallsPerSecond = 20 });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Kraken"))
        {
            ["Kraken:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kraken:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kraken:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kraken-chaos-").FullName,
            ["Kraken:PollInterval"] = "00:00:00.500",
            ["Kraken:RestRequestsPerSecond"] = "10",
        };
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new KrakenFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "KRAKEN:BTC/USD", "KRAKEN:ETH/USD", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync)
        {
            SetFaults = spec => emulator.SetFaults(spec),
        };
        emulator.Sent += (symbol, tick) =>
        {
            if (tick.Ltp.HasValue)
            {
                venue.RecordSent("KRAKEN:" + symbol, tick.Ltp);
            }
        };

        // Quiet until somebody subscribes but for its status message, and pinged when idle: connected means a frame arrived.
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
