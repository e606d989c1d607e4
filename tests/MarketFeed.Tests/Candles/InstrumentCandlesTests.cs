using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using static MarketFeed.Tests.TestSupport.TestInstruments;

namespace MarketFeed.Tests.Candles;

public class InstrumentCandlesTests
{
    private static readonly CandleInterval M1 = CandleInterval.Parse("1m");
    private static readonly CandleInterval M3 = CandleInterval.Parse("3m");
    private static readonly CandleInterval M15 = CandleInterval.Parse("15m");

    [Fact]
    public void Higher_timeframes_equal_the_aggregate_of_the_lower_ones()
    {
        Instrument instrument = Equity() with { Id = new InstrumentId(1) };
        var candles = new InstrumentCandles(instrument, new CandleOptions(), [M1, M3, M15]);
        var sink = new RecordingCandleSink();
        var random = new Random(7);
        long cumulative = 0;
        decimal price = 1000m;
        DateTime t = Ist(9, 15);
        while (t < Ist(11, 15))
        {
            t = t.AddMilliseconds(random.Next(200, 20_000));
            price += random.Next(-10, 11) * 0.05m;
            cumulative += random.Next(1, 300);
            var tick = new Tick(instrument.Id)
            {
                ExchangeTime = t, ReceiveTime = t, Ltp = Price.FromDecimal(price),
                Volume = Quantity.FromUnits(cumulative), Flags = TickFlags.CumulativeVolume,
            };
            candles.Apply(in tick, sink);
            candles.Advance(t, sink);
        }

        candles.Advance(Ist(11, 16), sink);
        List<Candle> ones = sink.ClosedOf(M1).ToList();
        foreach (CandleInterval higher in new[] { M3, M15 })
        {
            foreach (Candle bar in sink.ClosedOf(higher).Where(c => c.End <= Ist(11, 15)))
            {
                var parts = ones.Where(c => c.Start >= bar.Start && c.End <= bar.End).ToList();
                Assert.NotEmpty(parts);
                Assert.Equal(parts[0].Open, bar.Open);
                Assert.Equal(parts[^1].Close, bar.Close);
                Assert.Equal(parts.Max(p => p.High), bar.High);
                Assert.Equal(parts.Min(p => p.Low), bar.Low);
                Assert.Equal(parts.Sum(p => p.Volume.Raw), bar.Volume.Raw);
                Assert.Equal(parts.Sum(p => p.Ticks), bar.Ticks);
            }
        }
    }

    [Fact]
    public void A_late_tick_is_kept_out_of_every_timeframe_not_just_the_one_that_closed()
    {
        Instrument instrument = Equity() with { Id = new InstrumentId(1) };
        var candles = new InstrumentCandles(instrument, new CandleOptions(), [M1, M15]);
        var sink = new RecordingCandleSink();
        Apply(candles, sink, Ist(9, 16, 10), 100m);
        candles.Advance(Ist(9, 17, 1), sink);

        Apply(candles, sink, Ist(9, 16, 50), 140m);

        Assert.Equal(1, candles.LateTicks);
        Assert.Equal(Price.FromDecimal(100m), candles.Find(M15)!.Current!.Value.High);
    }

    private static void Apply(InstrumentCandles candles, RecordingCandleSink sink, DateTime at, decimal price)
    {
        var tick = new Tick(new InstrumentId(1)) { ExchangeTime = at, ReceiveTime = at, Ltp = Price.FromDecimal(price) };
        candles.Apply(in tick, sink);
    }
}
