using System.Text;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Coinbase;

namespace MarketFeed.Tests.Venues.Coinbase;

/// <summary>The decoder against messages in Coinbase's documented shapes (the spec's vectors), and the ways they can be wrong.</summary>
public class CoinbaseDecoderTests
{
    private static readonly InstrumentId s_btc = new(1);
    private static readonly InstrumentId s_eth = new(2);
    private static readonly CoinbaseProductMap s_products = new([new("BTC-USD", s_btc), new("ETH-USD", s_eth)]);
    private static readonly DateTime s_received = new(2026, 11, 22, 9, 0, 1, DateTimeKind.Utc);

    private static (CoinbaseFrame Frame, StreamEvents Events) Decode(string json)
    {
        var events = new StreamEvents();
        return (CoinbaseDecoder.Decode(Encoding.UTF8.GetBytes(json), s_products, s_received, events), events);
    }

    [Fact]
    public void A_level2_snapshot_with_bid_and_offer_sides_becomes_a_book_snapshot_with_absolute_sizes()
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode("""
            {"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[
              {"type":"snapshot","product_id":"BTC-USD","updates":[
                {"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},
                {"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.3","new_quantity":"0.02"},
                {"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"21921.74","new_quantity":"0.01"}]}]}
            """);
        Assert.Equal((CoinbaseFrameKind.MarketData, 0L), (frame.Kind, frame.Sequence));
        BookUpdate book = Assert.Single(events.Books);
        Assert.True(book.IsSnapshot);
        Assert.Equal(s_btc, book.Instrument);
        Assert.Equal([(Price.FromDecimal(21921.73m), Quantity.FromDecimal(0.06317902m)), (Price.FromDecimal(21921.3m), Quantity.FromDecimal(0.02m))],
            book.Bids.ToArray().Select(l => (l.Price, l.Quantity)));
        Assert.Equal((Price.FromDecimal(21921.74m), Quantity.FromDecimal(0.01m)), (book.Asks[0].Price, book.Asks[0].Quantity));

        // Snapshot levels carry the epoch as their time: the message's timestamp stands in.
        Assert.Equal(new DateTime(2023, 2, 9, 20, 32, 50, DateTimeKind.Utc).AddTicks(7_149_648), book.ExchangeTime);
        Assert.Equal(s_received, book.ReceiveTime);
        Assert.Same(UpdateIdContinuity.Instance, book.Continuity);
        Assert.Empty(events.Ticks);
    }

    [Fact]
    public void A_level2_update_keeps_a_zero_size_which_removes_the_level_and_takes_the_latest_event_time()
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode("""
            {"channel":"l2_data","timestamp":"2026-11-22T09:00:00.5Z","sequence_num":7,"events":[
              {"type":"update","product_id":"ETH-USD","updates":[
                {"side":"offer","event_time":"2026-11-22T09:00:00.100000001Z","price_level":"3000.01","new_quantity":"0"},
                {"side":"bid","event_time":"2026-11-22T09:00:00.2Z","price_level":"2999.99","new_quantity":"1.5"}]}]}
            """);
        Assert.Equal((CoinbaseFrameKind.MarketData, 7L), (frame.Kind, frame.Sequence));
        BookUpdate book = Assert.Single(events.Books);
        Assert.False(book.IsSnapshot);
        Assert.Equal(s_eth, book.Instrument);
        Assert.Equal(Quantity.FromRaw(0), book.Asks[0].Quantity);
        Assert.Equal(new DateTime(2026, 11, 22, 9, 0, 0, 200, DateTimeKind.Utc), book.ExchangeTime);
    }

    [Fact]
    public void Removals_go_ahead_of_new_levels_so_a_move_past_every_kept_level_leaves_the_new_ones_in_a_full_book()
    {
        // A book keeping 2 levels a side; the update lists the new, lower bids before removing the old ones.
        var book = new OrderBook(s_btc, new BookOptions { Depth = 2, LevelsKept = 2 }, UpdateIdContinuity.Instance);
        BookUpdate snapshot = BookUpdate.Rent();
        (snapshot.Instrument, snapshot.IsSnapshot, snapshot.FirstUpdateId, snapshot.LastUpdateId) = (s_btc, true, 1, 1);
        snapshot.AddBid(Price.FromDecimal(100m), Quantity.FromDecimal(1m));
        snapshot.AddBid(Price.FromDecimal(99m), Quantity.FromDecimal(1m));
        snapshot.AddAsk(Price.FromDecimal(101m), Quantity.FromDecimal(1m));
        book.Apply(snapshot);

        (_, StreamEvents events) = Decode("""
            {"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[
              {"side":"bid","price_level":"97","new_quantity":"2"},{"side":"bid","price_level":"98","new_quantity":"3"},
              {"side":"bid","price_level":"99","new_quantity":"0"},{"side":"bid","price_level":"100","new_quantity":"0"}]}]}
            """);
        BookUpdate diff = Assert.Single(events.Books);
        Assert.Equal([Quantity.Zero, Quantity.Zero, Quantity.FromDecimal(2m), Quantity.FromDecimal(3m)], diff.Bids.ToArray().Select(l => l.Quantity));
        (diff.FirstUpdateId, diff.LastUpdateId) = (1, 2);
        Assert.Equal(BookApplyResult.Applied, book.Apply(diff));
        Assert.Equal((2, Price.FromDecimal(98m), Price.FromDecimal(97m)), (book.Bids.Count, book.Bids.PriceAt(0), book.Bids.PriceAt(1)));
    }

    [Fact]
    public void Market_trades_become_trade_ticks_oldest_first_and_the_snapshot_of_past_trades_is_not_replayed()
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode("""
            {"channel":"market_trades","client_id":"","timestamp":"2026-11-22T09:00:01Z","sequence_num":3,"events":[
              {"type":"update","trades":[
                {"trade_id":"000000002","product_id":"BTC-USD","price":"90000.02","size":"0.002","side":"SELL","time":"2026-11-22T09:00:00.9Z"},
                {"trade_id":"000000001","product_id":"BTC-USD","price":"90000.01","size":"0.001","side":"BUY","time":"2026-11-22T09:00:00.8Z"}]},
              {"type":"snapshot","trades":[
                {"trade_id":"1","product_id":"ETH-USD","price":"3000","size":"1","side":"BUY","time":"2026-11-22T08:00:00Z"}]}]}
            """);
        Assert.Equal(CoinbaseFrameKind.MarketData, frame.Kind);
        Assert.Equal(2, events.Ticks.Count);
        Tick first = events.Ticks[0];
        Assert.Equal((s_btc, Price.FromDecimal(90000.01m), Quantity.FromDecimal(0.001m), 1L), (first.Instrument, first.Ltp, first.Ltq, first.VenueSequence));
        Assert.Equal((TickFields.Trade, TickFlags.Trade, TickSource.Stream), (first.Updates, first.Flags, first.Source));
        Assert.Equal(new DateTime(2026, 11, 22, 9, 0, 0, 800, DateTimeKind.Utc), first.ExchangeTime);
        Assert.Equal(2L, events.Ticks[1].VenueSequence);
    }

    [Fact]
    public void A_ticker_becomes_top_of_book_and_the_24_hour_figures_stamped_with_the_message_time()
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode("""
            {"channel":"ticker","client_id":"","timestamp":"2023-02-09T20:30:37.167359596Z","sequence_num":0,"events":[
              {"type":"snapshot","tickers":[{"type":"ticker","product_id":"BTC-USD","price":"21932.98","volume_24_h":"16038.28770938",
                "low_24_h":"21835.29","high_24_h":"23011.18","low_52_w":"15460","high_52_w":"48240","price_percent_chg_24_h":"-4.15775596190603",
                "best_bid":"21931.98","best_bid_quantity":"8000.21","best_ask":"21933.98","best_ask_quantity":"8038.07770938"}]}]}
            """);
        Assert.Equal(CoinbaseFrameKind.MarketData, frame.Kind);
        Tick tick = Assert.Single(events.Ticks);
        Assert.Equal(TickFields.TopOfBook | TickFields.DayStats, tick.Updates);
        Assert.Equal((Price.FromDecimal(21931.98m), Quantity.FromDecimal(8000.21m)), (tick.Bid, tick.BidQty));
        Assert.Equal((Price.FromDecimal(21933.98m), Quantity.FromDecimal(8038.07770938m)), (tick.Ask, tick.AskQty));
        Assert.Equal((Price.FromDecimal(23011.18m), Price.FromDecimal(21835.29m), Quantity.FromDecimal(16038.28770938m)), (tick.High, tick.Low, tick.Volume));
        Assert.False(tick.Ltp.HasValue);
        Assert.Equal(new DateTime(2023, 2, 9, 20, 30, 37, DateTimeKind.Utc).AddTicks(1_673_595), tick.ExchangeTime);
    }

    [Fact]
    public void Heartbeats_subscriptions_other_channels_and_errors_are_classified()
    {
        Assert.Equal((CoinbaseFrameKind.Heartbeat, 5L), (Decode("""
            {"channel":"heartbeats","client_id":"","timestamp":"2023-06-23T20:31:26.122969572Z","sequence_num":5,
             "events":[{"current_time":"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105","heartbeat_counter":"3049"}]}
            """).Frame is var h ? (h.Kind, h.Sequence) : default));
        Assert.Equal(CoinbaseFrameKind.Subscriptions, Decode("""
            {"channel":"subscriptions","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":1,
             "events":[{"subscriptions":{"level2":["BTC-USD"],"heartbeats":[]}}]}
            """).Frame.Kind);
        (CoinbaseFrame other, StreamEvents otherEvents) = Decode("""
            {"channel":"candles","timestamp":"2026-11-22T09:00:00Z","sequence_num":2,"events":[{"type":"update","candles":[{"start":"1","product_id":"BTC-USD"}]}]}
            """);
        Assert.Equal((CoinbaseFrameKind.OtherChannel, 2L), (other.Kind, other.Sequence));
        Assert.Empty(otherEvents.Ticks);

        CoinbaseFrame error = Decode("""{"type":"error","message":"Failed to subscribe to level2 for ETH-USD: product is not available"}""").Frame;
        Assert.Equal((CoinbaseFrameKind.Error, -1L), (error.Kind, error.Sequence));
        Assert.Contains("ETH-USD", error.Message);
    }

    [Fact]
    public void Unknown_products_are_counted_and_produce_nothing()
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode("""
            {"channel":"market_trades","timestamp":"2026-11-22T09:00:01Z","sequence_num":3,"events":[{"type":"update","trades":[
              {"trade_id":"9","product_id":"DOGE-USD","price":"0.35","size":"10","side":"BUY","time":"2026-11-22T09:00:00Z"}]}]}
            """);
        Assert.Equal((CoinbaseFrameKind.MarketData, 1), (frame.Kind, frame.UnknownProducts));
        Assert.Empty(events.Ticks);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"channel":"market_trades","timestamp":"2026-11-22T09:00:01Z","events":[]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":-1,"events":[]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":"1","events":[]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":1}""")]
    [InlineData("""{"sequence_num":1,"events":[]}""")]
    [InlineData("""{"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"ask","price_level":"1","new_quantity":"1"}]}]}""")]
    [InlineData("""{"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1e3","new_quantity":"1"}]}]}""")]
    [InlineData("""{"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"0","new_quantity":"1"}]}]}""")]
    [InlineData("""{"channel":"l2_data","sequence_num":1,"events":[{"type":"update","updates":[]}]}""")]
    [InlineData("""{"channel":"l2_data","sequence_num":1,"events":[{"type":"delta","product_id":"BTC-USD","updates":[]}]}""")]
    [InlineData("""{"channel":"ticker","sequence_num":1,"events":[{"type":"update","tickers":[{"type":"ticker","price":"1"}]}]}""")]
    [InlineData("""{"channel":"ticker","sequence_num":1,"events":[{"type":"update","tickers":[{"product_id":"BTC-USD","price":"-1"}]}]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":1,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","size":"1","side":"HOLD","time":"2026-11-22T09:00:00Z"}]}]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":1,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","size":"1","side":"BUY","time":"2026-02-30T09:00:00Z"}]}]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":1,"events":[{"type":"update","trades":[{"trade_id":"1","product_id":"BTC-USD","price":"1","price":"2","size":"1","side":"BUY","time":"2026-11-22T09:00:00Z"}]}]}""")]
    [InlineData("""{"channel":"market_trades","sequence_num":1,"events":[{"type":"update","tickers":[]}]}""")]
    [InlineData("""{"type":"error"}""")]
    [InlineData("""{"type":"error","message":42}""")]
    [InlineData("""{"channel":"heartbeats","sequence_num":1,"events":[]} {}""")]
    public void Malformed_messages_are_rejected_and_leave_nothing_behind(string json)
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode(json);
        Assert.Equal(CoinbaseFrameKind.Malformed, frame.Kind);
        Assert.Empty(events.Ticks);
        Assert.Empty(events.Books);
    }

    [Fact]
    public void A_frame_that_breaks_after_good_events_takes_them_all_back()
    {
        (CoinbaseFrame frame, StreamEvents events) = Decode("""
            {"channel":"l2_data","sequence_num":1,"events":[
              {"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1","new_quantity":"1"}]},
              {"type":"update","product_id":"ETH-USD","updates":[{"side":"bid","price_level":"x","new_quantity":"1"}]}]}
            """);
        Assert.Equal(CoinbaseFrameKind.Malformed, frame.Kind);
        Assert.Empty(events.Books);
    }

    [Theory]
    [InlineData("2026-11-22T09:00:00Z", 0)]
    [InlineData("2026-11-22T09:00:00.1234567Z", 1_234_567)]
    [InlineData("2026-11-22T09:00:00.123456789Z", 1_234_567)]
    [InlineData("2026-11-22T09:00:00.5+00:00", 5_000_000)]
    public void Times_are_read_to_100_nanoseconds(string text, long ticks)
    {
        Assert.True(CoinbaseTime.TryParse(Encoding.UTF8.GetBytes(text), out DateTime utc));
        Assert.Equal(new DateTime(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc).AddTicks(ticks), utc);
    }

    [Theory]
    [InlineData("2026-11-22T09:00:00")]
    [InlineData("2026-11-22T09:00:00.Z")]
    [InlineData("2026-11-22T09:00:00+05:30")]
    [InlineData("2026-13-22T09:00:00Z")]
    [InlineData("2026-11-22 09:00:00Z")]
    [InlineData("2026-11-22T24:00:00Z")]
    public void Other_time_forms_are_refused(string text) => Assert.False(CoinbaseTime.TryParse(Encoding.UTF8.GetBytes(text), out _));
}
