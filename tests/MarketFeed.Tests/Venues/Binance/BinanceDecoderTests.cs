using System.Text;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Binance;

using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Venues.Binance;

/// <summary>Binance combined-stream frames, written by hand from the payload examples of Binance's stream documentation.</summary>
public class BinanceDecoderTests
{
    internal const string Trade = """{"stream":"bnbbtc@trade","data":{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}}""";
    internal const string BookTicker = """{"stream":"bnbusdt@bookTicker","data":{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}}""";
    internal const string Depth = """{"stream":"bnbbtc@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"],["0.0023","0"]],"a":[["0.0026","100"]]}}""";

    private static readonly InstrumentId s_bnbbtc = new(1);
    private static readonly InstrumentId s_bnbusdt = new(2);
    private static readonly DateTime s_received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);

    internal static BinanceSymbolMap Symbols() => new([new("BNBBTC", s_bnbbtc), new("BNBUSDT", s_bnbusdt), new("BTCUSDT", new InstrumentId(3))]);

    private static (BinanceFrame Frame, StreamEvents Events) Decode(string json)
    {
        var events = new StreamEvents();
        return (BinanceDecoder.Decode(Encoding.UTF8.GetBytes(json), Symbols(), s_received, events), events);
    }

    [Fact]
    public void A_trade_becomes_a_trade_update_ordered_by_trade_id_with_exact_price_and_trade_time()
    {
        (BinanceFrame frame, StreamEvents events) = Decode(Trade);
        Assert.Equal(BinanceFrameKind.Trade, frame.Kind);
        Tick tick = Assert.Single(events.Ticks);
        Assert.Equal(s_bnbbtc, tick.Instrument);
        Assert.Equal(TickFields.Trade, tick.Updates);
        Assert.Equal(Price.FromRaw(100_000), tick.Ltp);
        Assert.Equal(Quantity.FromUnits(100), tick.Ltq);
        Assert.Equal(12345, tick.VenueSequence);
        Assert.Equal(new DateTime(2022, 12, 31, 19, 43, 2, 136, DateTimeKind.Utc), tick.ExchangeTime);
        Assert.Equal(DateTimeKind.Utc, tick.ExchangeTime.Kind);
        Assert.Equal(s_received, tick.ReceiveTime);
        Assert.Equal((TickFlags.Trade, FeedMode.Full, TickSource.Stream), (tick.Flags, tick.Mode, tick.Source));
        Assert.False(tick.Bid.HasValue);
        Assert.Empty(events.Books);
    }

    [Fact]
    public void A_book_ticker_becomes_a_top_of_book_update_ordered_by_update_id()
    {
        (BinanceFrame frame, StreamEvents events) = Decode(BookTicker);
        Assert.Equal(BinanceFrameKind.BookTicker, frame.Kind);
        Tick tick = Assert.Single(events.Ticks);
        Assert.Equal((s_bnbusdt, TickFields.TopOfBook, 400900217L), (tick.Instrument, tick.Updates, tick.VenueSequence));
        Assert.Equal((25.3519m, 31.21m, 25.3652m, 40.66m), (tick.Bid.ToDecimal(), tick.BidQty.ToDecimal(), tick.Ask.ToDecimal(), tick.AskQty.ToDecimal()));
        Assert.False(tick.Ltp.HasValue);
        Assert.False(tick.HasExchangeTime);
    }

    [Fact]
    public void An_empty_book_side_is_no_bid_rather_than_a_price_of_zero()
    {
        (_, StreamEvents events) = Decode("""{"stream":"bnbusdt@bookTicker","data":{"u":5,"s":"BNBUSDT","b":"0.00000000","B":"0.00000000","a":"25.36520000","A":"40.66000000"}}""");
        Tick tick = Assert.Single(events.Ticks);
        Assert.False(tick.Bid.HasValue);
        Assert.False(tick.BidQty.HasValue);
        Assert.Equal(25.3652m, tick.Ask.ToDecimal());
    }

    [Fact]
    public void A_depth_update_becomes_a_pooled_diff_with_binance_continuity_and_zero_quantities_kept_as_removals()
    {
        (BinanceFrame frame, StreamEvents events) = Decode(Depth);
        Assert.Equal(BinanceFrameKind.DepthUpdate, frame.Kind);
        Assert.Empty(events.Ticks);
        BookUpdate book = Assert.Single(events.Books);
        Assert.Equal((s_bnbbtc, false, 157L, 160L), (book.Instrument, book.IsSnapshot, book.FirstUpdateId, book.LastUpdateId));
        Assert.Same(UpdateIdContinuity.Instance, book.Continuity);
        Assert.Equal(new DateTime(2022, 12, 31, 19, 43, 2, 136, DateTimeKind.Utc), book.ExchangeTime);
        Assert.Equal(s_received, book.ReceiveTime);
        Assert.Equal([new BookLevelChange(Price.FromDecimal(0.0024m), Quantity.FromUnits(10)), new BookLevelChange(Price.FromDecimal(0.0023m), Quantity.Zero)], book.Bids.ToArray());
        Assert.Equal([new BookLevelChange(Price.FromDecimal(0.0026m), Quantity.FromUnits(100))], book.Asks.ToArray());
        events.Discard();
    }

    [Fact]
    public void Fields_are_read_in_any_order_and_unknown_fields_are_skipped()
    {
        (BinanceFrame frame, StreamEvents events) = Decode("""{"data":{"x":{"nested":[1,{"a":2}]},"T":1672515782136,"q":"0.5","p":"30000.01","t":9,"s":"bnbbtc","e":"trade","E":1},"stream":"bnbbtc@trade"}""");
        Assert.Equal(BinanceFrameKind.Trade, frame.Kind);
        Tick tick = Assert.Single(events.Ticks);
        Assert.Equal((s_bnbbtc, 30000.01m, 0.5m, 9L), (tick.Instrument, tick.Ltp.ToDecimal(), tick.Ltq.ToDecimal(), tick.VenueSequence));
    }

    [Fact]
    public void A_raw_payload_without_the_combined_wrapper_is_read_too()
    {
        (BinanceFrame frame, StreamEvents events) = Decode("""{"u":7,"s":"BNBUSDT","b":"1.5","B":"2","a":"1.6","A":"3"}""");
        Assert.Equal(BinanceFrameKind.BookTicker, frame.Kind);
        Assert.Equal(7, Assert.Single(events.Ticks).VenueSequence);
    }

    [Theory]
    [InlineData("""{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}}""")]
    [InlineData("""{"e":"serverShutdown","E":1770123456789}""")]
    public void Server_shutdown_is_reported_with_its_time(string json)
    {
        (BinanceFrame frame, StreamEvents events) = Decode(json);
        Assert.Equal(BinanceFrameKind.ServerShutdown, frame.Kind);
        Assert.Equal(new DateTime(2026, 2, 3, 12, 57, 36, 789, DateTimeKind.Utc), frame.Time);
        Assert.Empty(events.Ticks);
    }

    [Theory]
    [InlineData("""{"result":null,"id":1}""", 1)]
    [InlineData("""{"result":true,"id":312}""", 312)]
    [InlineData("""{"result":["btcusdt@aggTrade"],"id":3}""", 3)]
    [InlineData("""{"id":"abc","result":null}""", 0)]
    public void Control_replies_are_acks_with_their_id(string json, long id)
    {
        (BinanceFrame frame, _) = Decode(json);
        Assert.Equal((BinanceFrameKind.ControlAck, id), (frame.Kind, frame.Id));
    }

    [Theory]
    [InlineData("""{"code":2,"msg":"Invalid request: too many parameters","id":7}""", 2, 7, "Invalid request: too many parameters")]
    [InlineData("""{"code":3,"msg":"Invalid JSON: expected value at line 1 column 1"}""", 3, 0, "Invalid JSON: expected value at line 1 column 1")]
    [InlineData("""{"code":0,"msg":"Unknown property","id":5}""", 0, 5, "Unknown property")]
    public void Control_errors_carry_code_id_and_message(string json, int code, long id, string message)
    {
        (BinanceFrame frame, _) = Decode(json);
        Assert.Equal((BinanceFrameKind.ControlError, code, id, message), (frame.Kind, frame.Code, frame.Id, frame.Message));
    }

    [Theory]
    [InlineData("""{"stream":"bnbbtc@aggTrade","data":{"e":"aggTrade","E":1,"s":"BNBBTC","a":5,"p":"1","q":"1","f":1,"l":2,"T":1,"m":true}}""")]
    [InlineData("""{"stream":"bnbbtc@kline_1m","data":{"e":"kline","E":1,"s":"BNBBTC","k":{"t":1}}}""")]
    [InlineData("""{"stream":"bnbbtc@depthUpdate","data":{"e":"blockTrade","E":1,"s":"BNBBTC","b":[["1","1"]]}}""")]
    public void Events_of_other_types_are_unknown_and_produce_nothing(string json)
    {
        (BinanceFrame frame, StreamEvents events) = Decode(json);
        Assert.Equal(BinanceFrameKind.UnknownEvent, frame.Kind);
        Assert.Empty(events.Ticks);
        Assert.Empty(events.Books);
    }

    [Fact]
    public void A_symbol_the_master_does_not_hold_is_reported_and_produces_nothing()
    {
        (BinanceFrame frame, StreamEvents events) = Decode(Trade.Replace("BNBBTC", "DOGEBTC", StringComparison.Ordinal));
        Assert.Equal(BinanceFrameKind.UnknownSymbol, frame.Kind);
        Assert.Empty(events.Ticks);
        (frame, events) = Decode(Depth.Replace("BNBBTC", "DOGEBTC", StringComparison.Ordinal));
        Assert.Equal(BinanceFrameKind.UnknownSymbol, frame.Kind);
        Assert.Empty(events.Books);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("42")]
    [InlineData("\"trade\"")]
    [InlineData("{}")]
    [InlineData("{\"stream\":\"bnbbtc@trade\"}")]
    [InlineData("{not json")]
    [InlineData("{\"stream\":\"bnbbtc@trade\",\"data\":{\"e\":\"trade\"")]
    [InlineData("{\"data\":{}} trailing")]
    [InlineData("{\"data\":{}}{\"data\":{}}")]
    [InlineData("{\"stream\":7,\"data\":{}}")]
    [InlineData("{\"data\":[]}")]
    [InlineData("{\"code\":\"2\",\"msg\":\"x\"}")]
    [InlineData("{\"result\":null,\"id\":{}}")]
    [InlineData("{\"result\":null,\"id\":1.5}")]
    public void Frames_that_are_not_binance_messages_are_malformed(string json) =>
        Assert.Equal(BinanceFrameKind.Malformed, Decode(json).Frame.Kind);

    [Theory]
    [InlineData("\"p\":\"0.001\"", "\"p\":0.001")]
    [InlineData("\"p\":\"0.001\"", "\"p\":\"1e-3\"")]
    [InlineData("\"p\":\"0.001\"", "\"p\":\"-0.001\"")]
    [InlineData("\"p\":\"0.001\"", "\"p\":\"0.000000001\"")]
    [InlineData("\"p\":\"0.001\"", "\"p\":\"\"")]
    [InlineData("\"p\":\"0.001\"", "\"p\":\"abc\"")]
    [InlineData("\"p\":\"0.001\"", "\"p\":\"99999999999999999999.5\"")]
    [InlineData("\"p\":\"0.001\"", "\"p\":null")]
    [InlineData("\"q\":\"100\"", "\"q\":[\"100\"]")]
    [InlineData("\"t\":12345", "\"t\":\"12345\"")]
    [InlineData("\"t\":12345", "\"t\":-1")]
    [InlineData("\"t\":12345", "\"t\":1.5")]
    [InlineData("\"t\":12345", "\"t\":123456789012345678901234567890")]
    [InlineData("\"T\":1672515782136", "\"T\":1e30")]
    [InlineData("\"T\":1672515782136", "\"T\":253402300800000")]
    [InlineData("\"s\":\"BNBBTC\"", "\"s\":12")]
    [InlineData("\"e\":\"trade\"", "\"e\":true")]
    [InlineData(",\"q\":\"100\"", "")]
    [InlineData(",\"t\":12345", "")]
    public void A_trade_with_a_wrong_type_a_bad_or_huge_number_or_a_missing_field_is_malformed(string field, string replacement)
    {
        string json = Trade.Replace(field, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Trade, json);
        (BinanceFrame frame, StreamEvents events) = Decode(json);
        Assert.Equal(BinanceFrameKind.Malformed, frame.Kind);
        Assert.Empty(events.Ticks);
    }

    [Theory]
    [InlineData("[[\"0.0024\",\"10\"],[\"0.0023\",\"0\"]]", "[[\"0.0024\",\"10\",\"x\"]]")]
    [InlineData("[[\"0.0024\",\"10\"],[\"0.0023\",\"0\"]]", "[[\"0.0024\"]]")]
    [InlineData("[[\"0.0024\",\"10\"],[\"0.0023\",\"0\"]]", "[[0.0024,10]]")]
    [InlineData("[[\"0.0024\",\"10\"],[\"0.0023\",\"0\"]]", "[\"0.0024\",\"10\"]")]
    [InlineData("[[\"0.0024\",\"10\"],[\"0.0023\",\"0\"]]", "{}")]
    [InlineData("\"U\":157", "\"U\":161")]
    [InlineData(",\"a\":[[\"0.0026\",\"100\"]]", "")]
    [InlineData("\"u\":160", "\"u\":160,\"b\":[]")]
    public void A_depth_update_with_bad_levels_or_ids_is_malformed_and_its_pooled_message_goes_back(string field, string replacement)
    {
        string json = Depth.Replace(field, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Depth, json);
        (BinanceFrame frame, StreamEvents events) = Decode(json);
        Assert.Equal(BinanceFrameKind.Malformed, frame.Kind);
        Assert.Empty(events.Books);
    }

    [Fact]
    public void Escaped_strings_are_unescaped_and_half_surrogate_escapes_are_malformed_not_exceptions()
    {
        (BinanceFrame frame, StreamEvents events) = Decode(Trade.Replace("\"0.001\"", "\"0.\\u0030\\u00301\"", StringComparison.Ordinal).Replace("\"BNBBTC\"", "\"\\u0042NBBTC\"", StringComparison.Ordinal));
        Assert.Equal(BinanceFrameKind.Trade, frame.Kind);
        Assert.Equal((s_bnbbtc, 0.001m), (events.Ticks[0].Instrument, events.Ticks[0].Ltp.ToDecimal()));

        // Found by fuzzing Kite's text: such escapes parse, then throw when compared or read. Here: never a throw, never a wrong tick.
        Assert.Equal(BinanceFrameKind.Malformed, Decode(Trade.Replace("\"0.001\"", "\"\\ud800\"", StringComparison.Ordinal)).Frame.Kind);
        Assert.Contains(Decode(Trade.Replace("\"BNBBTC\"", "\"\\ud800\"", StringComparison.Ordinal)).Frame.Kind, new[] { BinanceFrameKind.UnknownSymbol, BinanceFrameKind.Malformed });
        Assert.Contains(Decode("{\"\\ud800\":1," + Trade[1..]).Frame.Kind, new[] { BinanceFrameKind.Trade, BinanceFrameKind.Malformed });
    }

    [Fact]
    public void Deeply_nested_unknown_fields_are_malformed_without_overflowing_anything()
    {
        string deep = new string('[', 10_000) + new string(']', 10_000);
        Assert.Equal(BinanceFrameKind.Malformed, Decode("{\"data\":{\"x\":" + deep + "}}").Frame.Kind);
    }

    [Fact]
    public void Decoding_allocates_nothing_per_message_once_warm()
    {
        byte[][] frames = [.. new[] { Trade, BookTicker, Depth, """{"result":null,"id":1}""" }.Select(Encoding.UTF8.GetBytes)];
        BinanceSymbolMap symbols = Symbols();
        var events = new StreamEvents();
        for (int i = 0; i < 2_000; i++)
        {
            DecodeAll(frames, symbols, events);
        }

        Assert.Equal(0, Allocations.FewestPerRound(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                DecodeAll(frames, symbols, events);
            }
        }));
    }

    private static void DecodeAll(byte[][] frames, BinanceSymbolMap symbols, StreamEvents events)
    {
        foreach (byte[] frame in frames)
        {
            BinanceDecoder.Decode(frame, symbols, s_received, events);
            events.Discard();
        }
    }
}
