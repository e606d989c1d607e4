using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Server.Tests.TestSupport;
using MarketFeed.Venues.Finnhub;
using MarketFeed.Venues.Finnhub.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Server.Tests.Chaos;

/// <summary>Finnhub under chaos: the adapter against its emulator over loopback, behind the real gateway. Trades only: no books.</summary>
public sealed class FinnhubChaosTests : VenueChaosTests
{
    protected override ChaosCapabilities Capabilities { get; } = new(RestPolling: true, Credentials: true, TokenKey: "Finnhub:Token");

    protected override async Task<ChaosVenue> StartAsync()
    {
        // Pings well inside the chaos runs' 1 s idle timeout (Finnhub's own minute would time every connection out).
        FinnhubEmulator emulator = await FinnhubEmulator.StartAsync(new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 20, PingInterval = TimeSpan.FromMilliseconds(250) });
        string cache = Directory.CreateTempSubdirectory("mf-finnhub-chaos-").FullName;
        var settings = new Dictionary<string, string?>(ChaosVenue.StreamSettings("Finnhub"));
        foreach ((string key, string? value) in new FinnhubModule().ConfigurationFor(emulator.Address, cache))
        {
            settings[key] = value;
        }

        settings["Finnhub:PollInterval"] = "00:00:00.500";
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var feed = new FinnhubFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        Gateway gateway = await Gateway.StartAsync(host, new ServerOptions { Urls = "http://127.0.0.1:0" });
        var venue = new ChaosVenue(gateway, feed, emulator.Faults, configuration, "FINNHUB:AAPL", "FINNHUB:BINANCE:BTCUSDT", emulator.DropConnections, () => emulator.AuthRejections, emulator.DisposeAsync)
        {
            SetFaults = spec => emulator.SetFaults(spec),
        };
        emulator.Sent += (symbol, price, _, _) => venue.RecordSent("FINNHUB:" + symbol, Model.Price.FromRaw(price));
        await venue.WaitForStateAsync(FeedState.Connected);
        return venue;
    }
}
