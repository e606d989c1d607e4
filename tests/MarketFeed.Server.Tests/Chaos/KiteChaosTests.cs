using MarketFeed.Venues.Kite.Emulator;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Kite;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Zerodha Kite under chaos: the adapter against its emulator over loopback, behind the real gateway.</summary>
public sealed class KiteChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: true, TokenKey: "Kite:AccessToken");

    protected override Task<ChaosVenue> StartAsync() => StartVenueAsync();

    /// <summary>The Kite emulator, a Kite feed in a host, and the gateway over it, connected.</summary>
    internal static async Task<ChaosVenue> StartVenueAsync()
    {
        KiteEmulator emulator = await KiteEmulator.StartAsync(new KiteEmulatorOptions
        {
            TicksPerInstrumentPerSecond = 20,
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
        });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Kite"))
        {
            ["Kite:ApiKey"] = "emulator-key",
            ["Kite:AccessToken"] = "emulator-token",
            ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kite:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kite-chaos-").FullName,
            ["Kite:QuoteRequestsPerSecond"] = "10",
        };
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new KiteFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "NSE:INFY", "NSE:TCS", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync);
        Dictionary<uint, string> symbols = emulator.Instruments.ToDictionary(i => i.Token, i => i.Instrument.Symbol);
        emulator.Sent += (token, tick, _) => venue.RecordSent(symbols[token], tick.Ltp);
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
