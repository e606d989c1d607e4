using MarketFeed.Candles;
using MarketFeed.Journal;
using MarketFeed.Model;

namespace MarketFeed.Tests.Journal;

/// <summary>Every field of a tick and a candle survives the journal, to the last digit; a damaged payload is refused, never half-read.</summary>
public class JournalEventCodecTests
{
    private static Tick Sample(bool greeks)
    {
        var tick = new Tick(new InstrumentId(9))
        {
            Seq = 77,
            VenueSequence = 12_345,
            ExchangeTime = new DateTime(2026, 11, 20, 4, 0, 1, DateTimeKind.Utc),
            ReceiveTime = new DateTime(2026, 11, 20, 4, 0, 1, 13, DateTimeKind.Utc),
            Ltp = Price.FromDecimal(101.05m),
            Ltq = Quantity.FromDecimal(75m),
            Bid = Price.FromDecimal(101m),
            BidQty = Quantity.FromDecimal(150m),
            Ask = Price.FromDecimal(101.1m),
            AskQty = Quantity.FromDecimal(225m),
            Close = Price.FromDecimal(96.4m),
            Oi = Quantity.FromDecimal(1_234_500m),
            Mode = FeedMode.Full,
            Source = TickSource.Stream,
            Flags = TickFlags.Outlier,
            Updates = TickFields.Trade | TickFields.TopOfBook,
            Greeks = greeks ? new OptionGreeks(0.52, 0.0011, -12.5, 8.25, 14.2) : null,
        };
        tick.Depth.SetBid(0, new DepthLevel(Price.FromDecimal(101m), Quantity.FromDecimal(150m), 3));
        tick.Depth.SetAsk(0, new DepthLevel(Price.FromDecimal(101.1m), Quantity.FromDecimal(225m), 2));
        tick.Depth.SetAsk(1, new DepthLevel(Price.FromDecimal(101.15m), Quantity.FromDecimal(75m), 1));
        return tick;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_tick_round_trips_with_depth_flags_and_greeks(bool greeks)
    {
        Tick tick = Sample(greeks);
        byte[] buffer = new byte[JournalEventCodec.MaxTickBytes("NFO:NIFTY26NOV24000CE")];
        int length = JournalEventCodec.WriteTick(buffer, in tick, "NFO:NIFTY26NOV24000CE");
        Tick read = JournalEventCodec.ReadTick(buffer.AsSpan(0, length), out string symbol);
        Assert.Equal("NFO:NIFTY26NOV24000CE", symbol);
        read.Instrument = tick.Instrument;
        Assert.True(read.SameMarketDataAs(in tick));
        Assert.Equal((tick.Seq, tick.ReceiveTime, tick.Source, tick.Flags, tick.Updates, tick.Greeks), (read.Seq, read.ReceiveTime, read.Source, read.Flags, read.Updates, read.Greeks));
        Assert.Equal((1, 2), (read.Depth.BidCount, read.Depth.AskCount));

        for (int cut = 0; cut < length; cut += 7)
        {
            int at = cut;
            Assert.Throws<JournalException>(() => JournalEventCodec.ReadTick(buffer.AsSpan(0, at), out _));
        }
    }

    [Fact]
    public void A_candle_round_trips_with_its_interval_and_series_number()
    {
        var candle = new Candle(
            new DateTime(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc), new DateTime(2026, 11, 20, 3, 48, 0, DateTimeKind.Utc),
            Price.FromDecimal(100m), Price.FromDecimal(102.5m), Price.FromDecimal(99.95m), Price.FromDecimal(101m), Quantity.FromDecimal(12_000m), 340, CandleFlags.Closed);
        byte[] buffer = new byte[JournalEventCodec.MaxCandleBytes("NSE:INFY", CandleInterval.Parse("3m"))];
        int length = JournalEventCodec.WriteCandle(buffer, "NSE:INFY", CandleInterval.Parse("3m"), in candle, 41);
        Candle read = JournalEventCodec.ReadCandle(buffer.AsSpan(0, length), out string symbol, out CandleInterval interval, out long seq);
        Assert.Equal((candle, "NSE:INFY", "3m", 41L), (read, symbol, interval.Label, seq));
    }
}
