using System.Text;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Kraken;

namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>Kraken v2 frames as Kraken writes them, decoded into ticks, book messages and replies; bad ones produce nothing.</summary>
public class KrakenDecoderTests
{
    private static readonly InstrumentId s_btc = new(1);
    private static readonly InstrumentId s_eth = new(2);
    private static readonly DateTime s_received = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private readonly KrakenSymbolMap _symbols = new([new("BTC/USD", s_btc), new("ETH/USD", s_eth)], 10);
    private readonly StreamEvents _events = new();

    [Fact]
    public void A_trade_batch_becomes_one_trade_tick_per_item_in_exact_fixed_point()
    {
        KrakenFrame frame = Decode("""
            {"channel":"trade","type":"update","data":[
              {"symbol":"BTC/USD","side":"buy","price":45285.2,"qty":0.00100000,"ord_type":"market","trade_id":4665906,"timestamp":"2023-09-25T07:49:37.708706Z"},
              {"symbol":"BTC/USD","side":"sell","price":45285.1,"qty":1.50000000,"ord_type":"limit","trade_id":4665907,"timestamp":"2023-09-25T07:49:37.708706123Z"}]}
            """);
        Assert.Equal(KrakenFrameKind.MarketData, frame.Kind);
        Assert.Equal(2, _events.Ticks.Count);
        Tick first = _events.Ticks[0];
        Assert.Equal((s_btc, TickFields.Trade, 45285.2m, 0.001m, 4665906L), (first.Instrument, first.Updates, first.Ltp.ToDecimal(), first.Ltq.ToDecimal(), first.VenueSequence));
        Assert.Equal(new DateTime(2023, 9, 25, 7, 49, 37, DateTimeKind.Utc).AddTicks(7_087_060), first.ExchangeTime);
        Assert.Equal(new DateTime(2023, 9, 25, 7, 49, 37, DateTimeKind.Utc).AddTicks(7_087_061), _events.Ticks[1].ExchangeTime);
        Assert.Equal(s_received, first.ReceiveTime);
    }

    [Fact]
    public void A_ticker_is_a_top_of_book_tick_and_a_zero_side_is_no_side()
    {
        Decode("""{"channel":"ticker","type":"snapshot","data":[{"symbol":"ETH/USD","bid":1580.06,"bid_qty":3.86500000,"ask":0.0,"ask_qty":0.0,"last":1580.06,"volume":11345.6,"vwap":1589.07,"low":1571.24,"high":1602.57,"change":-13.98,"change_pct":-0.88}]}""");
        Tick quote = Assert.Single(_events.Ticks);
        Assert.Equal((s_eth, TickFields.TopOfBook, 1580.06m, 3.865m), (quote.Instrument, quote.Updates, quote.Bid.ToDecimal(), quote.BidQty.ToDecimal()));
        Assert.False(quote.Ask.HasValue);
    }

    [Fact]
    public void A_book_message_is_a_pooled_update_with_its_checksum_order_and_the_decimals_as_written()
    {
        KrakenFrame frame = Decode("""
            {"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD",
              "bids":[{"price":45285.2,"qty":0.50000000},{"price":45280.1,"qty":2.00000000}],
              "asks":[{"price":45285.3,"qty":0.00100000}],"checksum":2425570690,"timestamp":"2023-10-06T17:35:55.440295Z"}]}
            """);
        Assert.Equal((KrakenFrameKind.MarketData, KrakenChannel.Book), (frame.Kind, frame.Channel));
        BookUpdate book = Assert.Single(_events.Books);
        Assert.True(book.IsSnapshot);
        Assert.Equal((2425570690u, 1L, 2, 1), (book.Checksum, book.LastUpdateId, book.BidCount, book.AskCount));
        Assert.Equal(45280.1m, book.Bids[1].Price.ToDecimal());
        KrakenBookChecksum keeper = Assert.IsType<KrakenBookChecksum>(book.Continuity);
        Assert.Equal((1, 8), (keeper.PriceDecimals, keeper.QuantityDecimals));

        _events.Discard();
        Decode("""{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":45285.2,"qty":0.00000000}],"asks":[],"checksum":1,"timestamp":"2023-10-06T17:35:55.440295Z"}]}""");
        Assert.Equal((false, 2L, 0L), (_events.Books[0].IsSnapshot, _events.Books[0].LastUpdateId, _events.Books[0].Bids[0].Quantity.Raw));
        _events.Discard();
    }

    [Fact]
    public void Replies_heartbeats_and_status_are_classified()
    {
        Assert.Equal(KrakenFrameKind.Heartbeat, Decode("""{"channel":"heartbeat"}""").Kind);
        KrakenFrame status = Decode("""{"channel":"status","type":"update","data":[{"version":"2.0.0","system":"maintenance","api_version":"v2","connection_id":12393906104898154338}]}""");
        Assert.Equal((KrakenFrameKind.Status, "maintenance"), (status.Kind, status.Text));
        KrakenFrame pong = Decode("""{"method":"pong","req_id":101,"time_in":"2023-09-24T14:10:23.799685Z","time_out":"2023-09-24T14:10:23.799703Z"}""");
        Assert.Equal((KrakenFrameKind.Pong, 101L), (pong.Kind, pong.RequestId));

        KrakenFrame ack = Decode("""{"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"BTC/USD"},"success":true,"time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z","req_id":7}""");
        Assert.Equal((KrakenFrameKind.Ack, 7L, true, KrakenChannel.Book, "BTC/USD"), (ack.Kind, ack.RequestId, ack.Subscribe, ack.Channel, ack.Symbol));

        KrakenFrame error = Decode("""{"error":"Currency pair not supported XYZ/USD","method":"subscribe","success":false,"symbol":"XYZ/USD","time_in":"2023-09-25T09:04:31.742599Z","time_out":"2023-09-25T09:04:31.742648Z","req_id":8}""");
        Assert.Equal((KrakenFrameKind.RequestError, "XYZ/USD", "Currency pair not supported XYZ/USD"), (error.Kind, error.Symbol, error.Text));
        Assert.Empty(_events.Ticks);
    }

    [Fact]
    public void Data_for_pairs_the_master_does_not_hold_is_counted_not_delivered()
    {
        KrakenFrame frame = Decode("""{"channel":"trade","type":"update","data":[{"symbol":"XBT/EUR","side":"buy","price":1.0,"qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}""");
        Assert.Equal((KrakenFrameKind.UnknownSymbol, 1), (frame.Kind, frame.UnknownSymbols));
        Assert.Empty(_events.Ticks);
    }

    [Theory]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":"45285.2","qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":4.52852e4,"qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":-1.0,"qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37.708706Z"}]}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1.0,"qty":1.0,"ord_type":"market","timestamp":"2023-09-25T07:49:37.708706Z"}]}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1.0,"qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-02-30T07:49:37Z"}]}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":1.000000001,"qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37Z"}]}""")]
    [InlineData("""{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":1.0}],"asks":[],"checksum":1}]}""")]
    [InlineData("""{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[]}]}""")]
    [InlineData("""{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[],"checksum":1}]}""")]
    [InlineData("""{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"asks":[],"checksum":-1}]}""")]
    [InlineData("""{"channel":"trade","type":"update"}""")]
    [InlineData("""{"channel":"trade","type":"sideways","data":[]}""")]
    [InlineData("""{"channel":42}""")]
    [InlineData("""{"method":"subscribe","req_id":1}""")]
    [InlineData("""{"channel":"heartbeat"} {"channel":"heartbeat"}""")]
    [InlineData("""{"channel":"trade","type":"update","data":[{"symbol":"BTC\/USD","side":"buy","price":1.0,"qty":1.0,"trade_id":1,"timestamp":"2023-09-25T07:49:37Z"}]}""")]
    [InlineData("[]")]
    [InlineData("{not json")]
    public void A_malformed_frame_produces_nothing(string text)
    {
        Assert.Equal(KrakenFrameKind.Malformed, Decode(text).Kind);
        Assert.Empty(_events.Ticks);
        Assert.Empty(_events.Books);
    }

    [Fact]
    public void A_frame_that_turns_bad_after_good_items_delivers_none_of_them()
    {
        KrakenFrame frame = Decode("""
            {"channel":"trade","type":"update","data":[
              {"symbol":"BTC/USD","side":"buy","price":1.0,"qty":1.0,"ord_type":"market","trade_id":1,"timestamp":"2023-09-25T07:49:37Z"},
              {"symbol":"BTC/USD","side":"buy","price":"x","qty":1.0,"ord_type":"market","trade_id":2,"timestamp":"2023-09-25T07:49:37Z"}]}
            """);
        Assert.Equal(KrakenFrameKind.Malformed, frame.Kind);
        Assert.Empty(_events.Ticks);
    }

    [Fact]
    public void Key_order_is_not_relied_on()
    {
        KrakenFrame frame = Decode("""{"data":[{"timestamp":"2023-09-25T07:49:37Z","trade_id":9,"qty":2.0,"price":3.5,"symbol":"ETH/USD"}],"type":"update","channel":"trade"}""");
        Assert.Equal(KrakenFrameKind.MarketData, frame.Kind);
        Tick trade = Assert.Single(_events.Ticks);
        Assert.Equal((s_eth, 3.5m, 2m, 9L), (trade.Instrument, trade.Ltp.ToDecimal(), trade.Ltq.ToDecimal(), trade.VenueSequence));
    }

    [Fact]
    public void Channels_this_adapter_does_not_take_are_told_apart_from_garbage()
    {
        Assert.Equal(KrakenFrameKind.UnknownChannel, Decode("""{"channel":"ohlc","type":"update","data":[],"timestamp":"2023-10-04T16:26:30.524394914Z"}""").Kind);
    }

    private KrakenFrame Decode(string text) => KrakenDecoder.Decode(Encoding.UTF8.GetBytes(text), _symbols, s_received, _events);
}
