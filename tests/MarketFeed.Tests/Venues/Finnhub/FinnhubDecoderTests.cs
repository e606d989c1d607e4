using System.Text;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Finnhub;

namespace MarketFeed.Tests.Venues.Finnhub;

/// <summary>The decoder against the messages Finnhub's documentation and users recorded, and against what must be refused.</summary>
public class FinnhubDecoderTests
{
    private static readonly InstrumentId s_btc = new(1);
    private static readonly InstrumentId s_aapl = new(2);
    private static readonly InstrumentId s_tsla = new(3);
    private static readonly InstrumentId s_eur = new(4);
    private static readonly DateTime s_received = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);

    private static readonly FinnhubSymbolMap s_symbols = new([
        new("BINANCE:BTCUSDT", s_btc), new("AAPL", s_aapl), new("TSLA", s_tsla), new("OANDA:EUR_USD", s_eur)]);

    private static (FinnhubFrame Frame, List<Tick> Ticks) Decode(string json)
    {
        var events = new StreamEvents();
        FinnhubFrame frame = FinnhubDecoder.Decode(Encoding.UTF8.GetBytes(json), s_symbols, s_received, events);
        return (frame, [.. events.Ticks]);
    }

    [Fact]
    public void The_documented_crypto_trade_decodes_exactly()
    {
        (FinnhubFrame frame, List<Tick> ticks) = Decode("{\"data\":[{\"p\":7296.89,\"s\":\"BINANCE:BTCUSDT\",\"t\":1575526691134,\"v\":0.011467}],\"type\":\"trade\"}");

        Assert.Equal(FinnhubFrameKind.Trade, frame.Kind);
        Tick tick = Assert.Single(ticks);
        Assert.Equal(s_btc, tick.Instrument);
        Assert.Equal(Price.FromDecimal(7296.89m), tick.Ltp);
        Assert.Equal(Quantity.FromDecimal(0.011467m), tick.Ltq);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1575526691134), tick.ExchangeTime);
        Assert.Equal(s_received, tick.ReceiveTime);
        Assert.Equal((TickFields.Trade, TickFlags.Trade, TickSource.Stream), (tick.Updates, tick.Flags, tick.Source));
    }

    [Fact]
    public void A_frame_of_several_trades_with_conditions_gives_a_tick_each_in_order()
    {
        (FinnhubFrame frame, List<Tick> ticks) = Decode(
            "{\"data\":[{\"c\":[\"1\",\"8\",\"24\",\"12\"],\"p\":122.1,\"s\":\"TSLA\",\"t\":1672348887195,\"v\":1},"
            + "{\"c\":[\"1\",\"8\",\"24\",\"12\"],\"p\":122.09,\"s\":\"TSLA\",\"t\":1672348887196,\"v\":4},"
            + "{\"p\":284.45,\"s\":\"AAPL\",\"t\":1586876152227,\"v\":300}],\"type\":\"trade\"}");

        Assert.Equal((FinnhubFrameKind.Trade, 3, 0), (frame.Kind, frame.Trades, frame.UnknownSymbols));
        Assert.Equal([s_tsla, s_tsla, s_aapl], ticks.Select(t => t.Instrument));
        Assert.Equal([122.1m, 122.09m, 284.45m], ticks.Select(t => t.Ltp.ToDecimal()));
        Assert.Equal([1m, 4m, 300m], ticks.Select(t => t.Ltq.ToDecimal()));
    }

    [Fact]
    public void Keys_in_any_order_decode_the_same()
    {
        (FinnhubFrame frame, List<Tick> ticks) = Decode("{\"type\":\"trade\",\"data\":[{\"v\":300,\"t\":1586876152227,\"s\":\"AAPL\",\"p\":284.45,\"x\":{\"y\":[1]}}]}");

        Assert.Equal(FinnhubFrameKind.Trade, frame.Kind);
        Assert.Equal(Price.FromDecimal(284.45m), Assert.Single(ticks).Ltp);
    }

    [Fact]
    public void A_forex_price_update_with_volume_0_is_a_price_and_not_a_trade()
    {
        (_, List<Tick> ticks) = Decode("{\"data\":[{\"p\":1.08123,\"s\":\"OANDA:EUR_USD\",\"t\":1575526691134,\"v\":0}],\"type\":\"trade\"}");

        Tick tick = Assert.Single(ticks);
        Assert.Equal(Price.FromDecimal(1.08123m), tick.Ltp);
        Assert.False(tick.Ltq.HasValue);
        Assert.Equal(TickFlags.None, tick.Flags & TickFlags.Trade);
    }

    [Fact]
    public void Exponent_numbers_as_go_writes_them_are_exact()
    {
        (_, List<Tick> ticks) = Decode("{\"data\":[{\"p\":7.5e-05,\"s\":\"BINANCE:BTCUSDT\",\"t\":1575526691134,\"v\":1E+3}],\"type\":\"trade\"}");

        Tick tick = Assert.Single(ticks);
        Assert.Equal(Price.FromDecimal(0.000075m), tick.Ltp);
        Assert.Equal(Quantity.FromDecimal(1000m), tick.Ltq);
    }

    [Fact]
    public void Unknown_symbols_are_counted_and_the_others_still_decode()
    {
        (FinnhubFrame frame, List<Tick> ticks) = Decode(
            "{\"data\":[{\"p\":1,\"s\":\"MSFT\",\"t\":1575526691134,\"v\":1},{\"p\":2,\"s\":\"aapl\",\"t\":1575526691134,\"v\":1},{\"p\":3,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"trade\"}");

        Assert.Equal((FinnhubFrameKind.Trade, 3, 2), (frame.Kind, frame.Trades, frame.UnknownSymbols));
        Assert.Equal(3m, Assert.Single(ticks).Ltp.ToDecimal());
    }

    [Theory]
    [InlineData("{\"type\":\"ping\"}", "Ping")]
    [InlineData("{\"data\":[{\"category\":\"company\",\"datetime\":1,\"headline\":\"h\",\"id\":1,\"related\":\"AAPL\"}],\"type\":\"news\"}", "Ignored")]
    [InlineData("{\"type\":\"pong\"}", "UnknownType")]
    public void Pings_news_and_other_types_are_classified(string json, string kind)
    {
        (FinnhubFrame frame, List<Tick> ticks) = Decode(json);

        Assert.Equal(Enum.Parse<FinnhubFrameKind>(kind), frame.Kind);
        Assert.Empty(ticks);
    }

    [Fact]
    public void The_symbol_cap_error_carries_its_text()
    {
        (FinnhubFrame frame, _) = Decode("{\"msg\":\"Subscribing to too many symbols\",\"type\":\"error\"}");

        Assert.Equal((FinnhubFrameKind.Error, "Subscribing to too many symbols"), (frame.Kind, frame.Message));
    }

    [Theory]
    [InlineData("{\"data\":[{\"p\":1.5,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"tra")]
    [InlineData("{\"data\":[{\"p\":\"1.5\",\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":-1.5,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":0,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":1.123456789,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":1.5,\"s\":\"AAPL\",\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":1.5,\"s\":\"AAPL\",\"t\":\"now\",\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":1.5,\"p\":2.5,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":[{\"p\":1.5,\"s\":\"AAPL\",\"t\":1575526691134,\"v\":1,\"c\":\"12\"}],\"type\":\"trade\"}")]
    [InlineData("{\"data\":{\"p\":1.5},\"type\":\"trade\"}")]
    [InlineData("{\"data\":[],\"type\":\"trade\"}")]
    [InlineData("{\"type\":\"trade\"}")]
    [InlineData("{\"type\":\"error\"}")]
    [InlineData("{\"msg\":42,\"type\":\"error\"}")]
    [InlineData("{\"type\":12}")]
    [InlineData("{\"type\":\"ping\"} {}")]
    [InlineData("[]")]
    [InlineData("{not json")]
    public void Malformed_frames_are_refused_whole(string json)
    {
        // A good trade first: a frame is all or nothing, never half its trades.
        string withGood = json.Replace("{\"data\":[{", "{\"data\":[{\"p\":9,\"s\":\"TSLA\",\"t\":1575526691134,\"v\":1},{", StringComparison.Ordinal);
        foreach (string text in new[] { json, withGood })
        {
            (FinnhubFrame frame, List<Tick> ticks) = Decode(text);
            Assert.Equal(FinnhubFrameKind.Malformed, frame.Kind);
            Assert.Empty(ticks);
        }
    }
}
