using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Dhan;
using MarketFeed.Venues.Dhan.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>DhanHQ v2 under chaos: the adapter against its emulator over loopback, behind the real gateway.</summary>
public sealed class DhanChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: true, TokenKey: "Dhan:AccessToken");

    protected override Task<ChaosVenue> StartAsync() => StartVenueAsync();

    /// <summary>The Dhan emulator, a Dhan feed in a host, and the gateway over it, connected.</summary>
    internal static async Task<ChaosVenue> StartVenueAsync()
    {
        DhanEmulator emulator = await DhanEmulator.StartAsync(new DhanEmulatorOptions { TicksPerInstrumentPerSecond = 20 });
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Dhan"))
        {
            ["Dhan:QuoteRequestsPerSecond"] = "10",
        };
        foreach ((string key, string? value) in DhanEmulatorSettings.For(emulator, Directory.CreateTempSubdirectory("mf-dhan-chaos-").FullName))
        {
            settings[key] = value;
        }

        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new DhanFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "NSE:INFY", "NSE:TCS", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync)
        {
            SetFaults = spec => emulator.SetFaults(spec),
        };
        Dictionary<string, string> symbols = host.Instruments.All().Where(i => i.Feed == feed.Name).ToDictionary(i => i.NativeKey, i => i.Symbol);
        emulator.Sent += (key, tick, _) =>
        {
            if (symbols.TryGetValue(key, out string? symbol))
            {
                venue.RecordSent(symbol, tick.Ltp);
            }
        };
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
