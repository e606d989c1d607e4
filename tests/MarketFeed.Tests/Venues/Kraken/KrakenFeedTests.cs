using System.Text.Json.Nodes;
using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Kraken;
using MarketFeed.Venues.Kraken.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>The Kraken feed against its emulator over loopback: checksum failures resync one book, venue errors land on one instrument, REST history and polling.</summary>
public class KrakenFeedTests
{
    [Fact]
    public async Task A_failed_checksum_resyncs_that_book_by_resubscribing_it_without_touching_the_connection()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 20 });
        (KrakenFeed feed, MarketFeedHost host) = await StartAsync(emulator);
        await using MarketFeedHost _ = host;
        await using MarketSubscription full = host.Subscribe(["KRAKEN:BTC/USD"], new SubscriberOptions { Mode = FeedMode.Full });
        await using MarketSubscription ltp = host.Subscribe("KRAKEN:ETH/USD");
        InstrumentId btc = host.Resolve("KRAKEN:BTC/USD").Id;
        await SimulatedHost.WaitUntil(() => host.Hub.GetBookAsync(btc, 10).Result?.State == BookState.Synced);
        BookView synced = (await host.Hub.GetBookAsync(btc, 10))!;
        Assert.Equal(0, synced.ChecksumFailures);
        long reconnects = feed.Health.Reconnects;

        emulator.SetFaults("badchecksum");
        await SimulatedHost.WaitUntil(() => host.Hub.GetBookAsync(btc, 10).Result is { ChecksumFailures: >= 1, Resyncs: >= 1, State: BookState.Synced });

        // One book resubscribed (the ETH instrument has no book), the connection kept, and the failure counted in status.
        Assert.Equal(1, feed.Protocol.BookResubscribes);
        Assert.Equal(reconnects, feed.Health.Reconnects);
        Assert.True(host.Status().Quality.BookChecksumFailures >= 1);
        BookView book = (await host.Hub.GetBookAsync(btc, 10))!;
        Assert.True(book.Bids[0].Price < book.Asks[0].Price);
        Assert.Equal(10, book.Bids.Count);
    }

    [Fact]
    public async Task A_venue_error_naming_a_symbol_goes_to_that_instrument_alone()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 20 });

        // The instrument file lists a pair the venue does not serve: its subscription is refused.
        using var http = new HttpClient();
        JsonNode pairs = JsonNode.Parse(await http.GetStringAsync(new Uri(emulator.RestUrl, "/0/public/AssetPairs")))!;
        pairs["result"]!["XLTCZUSD"] = JsonNode.Parse("""{"altname":"LTCUSD","wsname":"LTC/USD","pair_decimals":2,"lot_decimals":8,"tick_size":"0.01","status":"online"}""");
        string file = Path.Combine(Directory.CreateTempSubdirectory("mf-kraken-pairs-").FullName, "pairs.json");
        await File.WriteAllTextAsync(file, pairs.ToJsonString());

        (KrakenFeed feed, MarketFeedHost host) = await StartAsync(emulator, file);
        await using MarketFeedHost _ = host;
        await using MarketSubscription sub = host.Subscribe("KRAKEN:BTC/USD", "KRAKEN:LTC/USD");
        await SimulatedHost.WaitUntil(() => host.Status().Instruments.Any(i => i.Symbol == "KRAKEN:LTC/USD" && i.State == InstrumentHealthState.Error)
            && host.Status().Instruments.Any(i => i.Symbol == "KRAKEN:BTC/USD" && i.State == InstrumentHealthState.Live));
        InstrumentStatus ltc = host.Status().Instruments.Single(i => i.Symbol == "KRAKEN:LTC/USD");
        Assert.Equal("Kraken: Currency pair not supported LTC/USD", ltc.Error);
        Assert.Null(host.Status().Instruments.Single(i => i.Symbol == "KRAKEN:BTC/USD").Error);
        Assert.Equal(FeedState.Connected, feed.Health.State);
    }

    [Fact]
    public async Task History_comes_from_ohlc_and_failover_polls_tickers()
    {
        await using KrakenEmulator emulator = await KrakenEmulator.StartAsync(new KrakenEmulatorOptions());
        (KrakenFeed feed, MarketFeedHost host) = await StartAsync(emulator);
        await using MarketFeedHost _ = host;
        MarketFeed.Instruments.Instrument btc = host.Resolve("KRAKEN:BTC/USD");
        DateTime now = DateTime.UtcNow;
        IReadOnlyList<Candle> bars = await feed.GetHistoryAsync(btc, CandleInterval.FiveMinutes, now, 50, CancellationToken.None);
        Assert.Equal(50, bars.Count);
        Assert.All(bars, b => Assert.True(b.End <= now && b.Low <= b.High && b.End - b.Start == TimeSpan.FromMinutes(5)));
        Assert.Empty(await feed.GetHistoryAsync(btc, CandleInterval.FromLength(TimeSpan.FromMinutes(2)), now, 5, CancellationToken.None));

        IReadOnlyList<Tick> polled = await feed.Rest.PollAsync([btc.Id, host.Resolve("KRAKEN:ETH/USD").Id], CancellationToken.None);
        Assert.Equal(2, polled.Count);
        Assert.All(polled, t => Assert.True(t.Source == TickSource.Poll && t.Bid < t.Ask && t.Ltp.HasValue));
    }

    private static async Task<(KrakenFeed, MarketFeedHost)> StartAsync(KrakenEmulator emulator, string? instrumentsFile = null)
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kraken:StreamUrl"] = emulator.StreamUrl.ToString(),
            ["Kraken:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
            ["Kraken:CacheDirectory"] = Directory.CreateTempSubdirectory("mf-kraken-").FullName,
            ["Kraken:InstrumentsFile"] = instrumentsFile,
            ["Kraken:RestRequestsPerSecond"] = "5",
        }).Build();
        var feed = new KrakenFeed(configuration, TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        return (feed, host);
    }
}
