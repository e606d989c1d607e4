using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Upstox;
using MarketFeed.Venues.Upstox.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Upstox under chaos: the adapter against its emulator over loopback, behind the real gateway.</summary>
public sealed class UpstoxChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: true, TokenKey: "Upstox:AccessToken");

    protected override async Task<ChaosVenue> StartAsync()
    {
        UpstoxEmulator emulator = await UpstoxEmulator.StartAsync(new UpstoxEmulatorOptions { TicksPerInstrumentPerSecond = 20 });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Upstox"))
        {
            ["Upstox:AccessToken"] = "emulator-token",
            ["Upstox:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Upstox:InstrumentsUrl"] = emulator.InstrumentsUrl.ToString(),
            ["Upstox:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-upstox-chaos-").FullName,
            ["Upstox:RequestsPerSecond"] = "10",
        };
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new UpstoxFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "NSE:INFY", "NSE:TCS", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync);
        Dictionary<string, string> symbols = emulator.Instruments.ToDictionary(i => i.Key, i => i.Instrument.Symbol);
        emulator.Sent += (key, tick, _, _) => venue.RecordSent(symbols[key], tick.Ltp);
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
