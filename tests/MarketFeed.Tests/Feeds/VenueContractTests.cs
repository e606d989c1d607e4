using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Binance;
using MarketFeed.Venues.Binance.Emulator;
using MarketFeed.Venues.Coinbase;
using MarketFeed.Venues.Coinbase.Emulator;
using MarketFeed.Venues.Kraken;
using MarketFeed.Venues.Kraken.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Feeds;

/// <summary>
/// What every feed must do, whatever its wire protocol: deliver the instruments asked for and nothing else, with
/// sane values; stop an instrument on unsubscribe; come back with the desired set after losing its connection;
/// report health. Each venue (and the simulator) runs this same suite through a subclass.
/// </summary>
public abstract class VenueContractTests
{
    protected abstract Task<VenueUnderTest> StartAsync();

    [Fact]
    public async Task Subscribed_instruments_deliver_sane_ticks_and_nothing_else_arrives()
    {
        await using VenueUnderTest venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe([venue.First, venue.Second], new SubscriberOptions { Mode = FeedMode.Full });
        List<Tick> ticks = await KiteVenue.CollectAsync(sub, t => t.Select(x => x.Instrument).Distinct().Count() == 2 && t.Count >= 6);
        InstrumentId[] wanted = [venue.Host.Resolve(venue.First).Id, venue.Host.Resolve(venue.Second).Id];
        Assert.All(ticks, t =>
        {
            Assert.Contains(t.Instrument, wanted);

            // A venue with separate trade and book streams may deliver a book update before the first trade.
            Assert.True(t.Ltp.HasValue ? t.Ltp.Raw > 0 : (t.Updates & TickFields.Trade) == 0);
            Assert.Equal(TickSource.Stream, t.Source);
            Assert.NotEqual(default, t.ReceiveTime);
            Assert.True(!t.Ltp.HasValue || t.Ltp.Raw % venue.Host.Instruments.Get(t.Instrument).TickSize.Raw == 0);
            Assert.False(t.Bid.HasValue && t.Ask.HasValue && t.Bid > t.Ask);
        });
        Assert.Contains(ticks, t => t.Ltp.HasValue);
        foreach (IGrouping<InstrumentId, Tick> group in ticks.GroupBy(t => t.Instrument))
        {
            Assert.True(group.Zip(group.Skip(1)).All(p => p.Second.Seq == p.First.Seq + 1));
        }
    }

    [Fact]
    public async Task An_unsubscribed_instrument_stops_arriving()
    {
        await using VenueUnderTest venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        await KiteVenue.CollectAsync(sub, t => t.Select(x => x.Instrument).Distinct().Count() == 2);
        sub.Remove(venue.First);
        InstrumentId first = venue.Host.Resolve(venue.First).Id;
        List<Tick> after = await KiteVenue.CollectAsync(sub, t => t.Count >= 6);
        Assert.DoesNotContain(after, t => t.Instrument == first);
    }

    [Fact]
    public async Task After_the_connection_is_lost_the_desired_set_comes_back()
    {
        await using VenueUnderTest venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First, venue.Second);
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);
        long reconnects = venue.Feed.Health.Reconnects;

        await venue.DropConnectionAsync();
        await SimulatedHost.WaitUntil(() => venue.Feed.Health.Reconnects > reconnects && venue.Feed.Health.State == FeedState.Connected);
        List<Tick> after = await KiteVenue.CollectAsync(sub, t => t.Select(x => x.Instrument).Distinct().Count() == 2);
        Assert.Equal(2, after.Select(t => t.Instrument).Distinct().Count());
    }

    [Fact]
    public async Task Health_shows_the_feed_connected_and_subscribed_instruments_live()
    {
        await using VenueUnderTest venue = await StartAsync();
        await using MarketSubscription sub = venue.Host.Subscribe(venue.First);
        await KiteVenue.CollectAsync(sub, t => t.Count >= 2);
        MarketStatus status = venue.Host.Status();
        Assert.Equal(FeedState.Connected, status.Feeds.Single().State);
        Assert.True(status.Feeds.Single().Connections >= 1);
        InstrumentStatus instrument = status.Instruments.Single();
        Assert.Equal((venue.First, TickSource.Stream), (instrument.Symbol, instrument.Source));
        Assert.Contains(instrument.State, new[] { InstrumentHealthState.Live, InstrumentHealthState.Closed });
    }
}

/// <summary>A running feed for the contract suite: two of its instruments and a way to cut its connection.</summary>
public sealed class VenueUnderTest(MarketFeedHost host, IFeed feed, string first, string second, Func<Task> dropConnection, Func<ValueTask> dispose) : IAsyncDisposable
{
    public MarketFeedHost Host { get; } = host;

    public IFeed Feed { get; } = feed;

    public string First { get; } = first;

    public string Second { get; } = second;

    public Task DropConnectionAsync() => dropConnection();

    public ValueTask DisposeAsync() => dispose();
}

public sealed class SimulatorContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        var feed = new SimulatorFeed(new SimulatorOptions { TicksPerInstrumentPerSecond = 50 }, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);

        // The simulator's connection is in-process: losing it is Disconnect, its reconnect is Connect.
        async Task Drop()
        {
            feed.Disconnect("contract test");
            await Task.Delay(50);
            feed.Connect();
        }

        // An option of today's chain: the nearest-expiry 24000 call.
        string option = host.Instruments.Search("NIFTY 24000 CE", 1)[0].Symbol;
        return new VenueUnderTest(host, feed, "NSE:INFY", option, Drop, host.DisposeAsync);
    }
}

public sealed class KiteContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        KiteVenue venue = await KiteVenue.StartAsync();
        await venue.WaitForStateAsync(FeedState.Connected);
        return new VenueUnderTest(venue.Host, venue.Feed, "NSE:INFY", "NSE:NIFTY 50", () =>
        {
            venue.Emulator.DropConnections();
            return Task.CompletedTask;
        }, venue.DisposeAsync);
    }
}

public sealed class DhanContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        DhanVenue venue = await DhanVenue.StartAsync();
        await venue.WaitForStateAsync(FeedState.Connected);
        return new VenueUnderTest(venue.Host, venue.Feed, "NSE:INFY", "NSE:NIFTY 50", () =>
        {
            venue.Emulator.DropConnections();
            return Task.CompletedTask;
        }, venue.DisposeAsync);
    }
}

public sealed class BinanceContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        BinanceEmulator emulator = await BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Binance:StreamUrl"] = emulator.StreamUrl.ToString().TrimEnd('/'),
            ["Binance:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Binance:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-binance-").FullName,
            ["Binance:Stream:IdleTimeout"] = "00:00:02",
            ["Binance:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Binance:Stream:ReconnectMaxDelay"] = "00:00:00.500",
        }).Build();
        var feed = new BinanceFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        return new VenueUnderTest(host, feed, "BINANCE:BTCUSDT", "BINANCE:ETHUSDT", () =>
        {
            emulator.DropConnections();
            return Task.CompletedTask;
        }, async () =>
        {
            await host.DisposeAsync();
            await emulator.DisposeAsync();
        });
    }
}

public sealed class CoinbaseContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        CoinbaseEmulator emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 20 });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Coinbase:StreamUrl"] = emulator.StreamUrl.ToString().TrimEnd('/'),
            ["Coinbase:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Coinbase:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-coinbase-").FullName,
            ["Coinbase:Stream:IdleTimeout"] = "00:00:02",
            ["Coinbase:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Coinbase:Stream:ReconnectMaxDelay"] = "00:00:00.500",
        }).Build();
        var feed = new CoinbaseFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        return new VenueUnderTest(host, feed, "COINBASE:BTC-USD", "COINBASE:ETH-USD", () =>
        {
            emulator.DropConnections();
            return Task.CompletedTask;
        }, async () =>
        {
            await host.DisposeAsync();
            await emulator.DisposeAsync();
        });
    }
}

public sealed class KrakenContractTests : VenueContractTests
{
    protected override async Task<VenueUnderTest> StartAsync()
    {
        KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kraken:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kraken:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kraken:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kraken-").FullName,
            ["Kraken:Stream:IdleTimeout"] = "00:00:02",
            ["Kraken:Stream:ReconnectBaseDelay"] = "00:00:00.100",
            ["Kraken:Stream:ReconnectMaxDelay"] = "00:00:00.500",
        }).Build();
        var feed = new KrakenFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        return new VenueUnderTest(host, feed, "KRAKEN:BTC/USD", "KRAKEN:ETH/USD", () =>
        {
            emulator.DropConnections();
            return Task.CompletedTask;
        }, async () =>
        {
            await host.DisposeAsync();
            await emulator.DisposeAsync();
        });
    }
}
