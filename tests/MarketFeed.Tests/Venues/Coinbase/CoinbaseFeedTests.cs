using MarketFeed.Books;
using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Health;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Venues.Coinbase;
using MarketFeed.Venues.Coinbase.Emulator;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Tests.Venues.Coinbase;

/// <summary>The whole feed against the Coinbase emulator over loopback: sequence gaps, per-product errors, history, the products cache.</summary>
public sealed class CoinbaseFeedTests : IAsyncLifetime
{
    private CoinbaseEmulator _emulator = null!;
    private string _cache = null!;

    public async Task InitializeAsync()
    {
        _emulator = await CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 20 });
        _cache = Directory.CreateTempSubdirectory("mf-coinbase-feed-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_cache, recursive: true);
    }

    private IConfigurationRoot Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Coinbase:StreamUrl"] = _emulator.StreamUrl.ToString().TrimEnd('/'),
        ["Coinbase:RestUrl"] = _emulator.RestUrl.ToString().TrimEnd('/'),
        ["Coinbase:CacheDirectory"] = _cache,
        ["Coinbase:Stream:ReconnectBaseDelay"] = "00:00:00.100",
    }).Build();

    private async Task<(MarketFeedHost Host, CoinbaseFeed Feed)> StartAsync()
    {
        var feed = new CoinbaseFeed(Configuration(), TimeProvider.System);
        MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 });
        await SimulatedHost.WaitUntil(() => feed.Health.State == FeedState.Connected);
        return (host, feed);
    }

    [Fact]
    public async Task A_skipped_sequence_number_resyncs_every_book_on_the_connection_by_resubscribing_and_nothing_reconnects()
    {
        (MarketFeedHost host, CoinbaseFeed feed) = await StartAsync();
        await using MarketFeedHost _ = host;
        await using MarketSubscription sub = host.Subscribe(["COINBASE:BTC-USD", "COINBASE:ETH-USD"], new SubscriberOptions { Mode = FeedMode.Full });
        await SimulatedHost.WaitUntil(() => host.GetBookAsync("COINBASE:BTC-USD").Result?.State == BookState.Synced
            && host.GetBookAsync("COINBASE:ETH-USD").Result?.State == BookState.Synced);
        long snapshots = feed.Health.BookSnapshots;
        var sentL2 = new System.Collections.Concurrent.ConcurrentQueue<string>();
        _emulator.SentFrame += (channel, product, text) =>
        {
            if (channel == "l2_data" && product == "BTC-USD")
            {
                sentL2.Enqueue(text);
            }
        };

        _emulator.SetFaults("seqgap");
        await SimulatedHost.WaitUntil(() => feed.Protocol.SequenceGaps == 1 && feed.Health.BookSnapshots >= snapshots + 2
            && host.GetBookAsync("COINBASE:BTC-USD").Result is { Gaps: 1, Resyncs: 1, State: BookState.Synced }
            && host.GetBookAsync("COINBASE:ETH-USD").Result is { Gaps: 1, Resyncs: 1, State: BookState.Synced });
        Assert.Equal(2, feed.Protocol.Resubscribes);
        Assert.Equal(0, feed.Health.Reconnects);
        BookView book = (await host.GetBookAsync("COINBASE:BTC-USD"))!;
        Assert.True(book.Bids.Count > 0 && book.Asks.Count > 0 && book.Bids[0].Price < book.Asks[0].Price,
            $"{book.State}: {book.Bids.Count} bids, {book.Asks.Count} asks, {book.Gaps} gaps, {book.Resyncs} resyncs, sequence {book.Sequence}; sent " + string.Join(" | ", sentL2.Select(t => t.Length > 400 ? t[..400] + $"... ({System.Text.RegularExpressions.Regex.Matches(t, "\"bid\"").Count} bids)" : t)));
        Assert.True(host.Status().Quality.BookGaps >= 2);
    }

    [Fact]
    public async Task A_refused_product_shows_error_with_coinbases_text_and_its_neighbours_stay_live()
    {
        _emulator.SetFaults("reject=ETH-USD");
        (MarketFeedHost host, CoinbaseFeed feed) = await StartAsync();
        await using MarketFeedHost _ = host;
        await using MarketSubscription sub = host.Subscribe("COINBASE:BTC-USD", "COINBASE:ETH-USD");
        await SimulatedHost.WaitUntil(() => host.Status().Instruments.Any(i => i.Symbol == "COINBASE:ETH-USD" && i.State == InstrumentHealthState.Error)
            && host.Status().Instruments.Any(i => i.Symbol == "COINBASE:BTC-USD" && i.State == InstrumentHealthState.Live));
        InstrumentStatus eth = host.Status().Instruments.Single(i => i.Symbol == "COINBASE:ETH-USD");
        Assert.StartsWith("Coinbase: Failed to subscribe to market_trades for ETH-USD", eth.Error);
        Assert.Null(host.Status().Instruments.Single(i => i.Symbol == "COINBASE:BTC-USD").Error);
        Assert.Equal(FeedState.Connected, feed.Health.State);
        Assert.Null(feed.Health.LastError);
    }

    [Fact]
    public async Task Products_are_downloaded_once_a_utc_day_and_history_comes_from_candles()
    {
        await using var feed = new CoinbaseFeed(Configuration(), TimeProvider.System);
        var registry = new InstrumentRegistry();
        await feed.LoadInstrumentsAsync(registry, CancellationToken.None);
        Assert.Equal(5, feed.Master.Count);
        Assert.Single(Directory.GetFiles(_cache, "coinbase-products*", SearchOption.AllDirectories));
        Instrument btc = registry.Resolve("COINBASE:BTC-USD");
        Assert.Equal(Price.FromDecimal(0.01m), btc.TickSize);

        // REST is down now: the day's cached list still loads, and history says why it cannot come.
        _emulator.Faults.RestDown = true;
        await using (var again = new CoinbaseFeed(Configuration(), TimeProvider.System))
        {
            await again.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None);
            Assert.Equal(5, again.Master.Count);
        }

        Assert.Contains("HTTP 503", (await Assert.ThrowsAsync<HttpRequestException>(() => feed.GetHistoryAsync(btc, CandleInterval.FiveMinutes, DateTime.UtcNow, 12, CancellationToken.None))).Message);
        _emulator.Faults.RestDown = false;
        IReadOnlyList<Candle> history = await feed.GetHistoryAsync(btc, CandleInterval.FiveMinutes, DateTime.UtcNow, 12, CancellationToken.None);
        Assert.Equal(12, history.Count);
        Assert.True(history[^1].End <= DateTime.UtcNow);
        Assert.Equal(TimeSpan.FromMinutes(5), history[1].Start - history[0].Start);
    }
}
