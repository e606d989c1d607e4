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
    private static readonly CandleInterval M5 = CandleInterval.Parse("5m");
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
        AssertAggregates(sink, M3, Ist(11, 15), expectPartial: false);
        AssertAggregates(sink, M15, Ist(11, 15), expectPartial: false);
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

    [Fact]
    public void A_timeframe_first_asked_for_inside_a_bar_starts_from_the_finer_series_and_stays_its_aggregate()
    {
        Instrument instrument = Equity() with { Id = new InstrumentId(1) };
        var candles = new InstrumentCandles(instrument, new CandleOptions(), [M1], Ist(9, 15));
        var sink = new RecordingCandleSink();
        var random = new Random(3);
        DateTime t = Ist(9, 15);
        t = Walk(candles, sink, random, t, Ist(9, 17, 30));

        CandleSeries three = candles.GetOrAdd(M3, t, sink, out bool created);

        Assert.True(created);
        Candle forming = three.Current!.Value;
        Assert.Equal(Ist(9, 15), forming.Start);
        Assert.False(forming.IsPartial);
        Walk(candles, sink, random, t, Ist(9, 40));
        AssertAggregates(sink, M3, Ist(9, 39), expectPartial: false);
        Assert.Equal(Ist(9, 15), sink.ClosedOf(M3).First().Start);
    }

    [Fact]
    public void A_series_started_inside_an_interval_marks_that_bar_partial_and_only_that_one()
    {
        Instrument instrument = Equity() with { Id = new InstrumentId(1) };
        var candles = new InstrumentCandles(instrument, new CandleOptions(), [M1, M5], Ist(9, 16, 30));
        var sink = new RecordingCandleSink();
        Walk(candles, sink, new Random(5), Ist(9, 16, 30), Ist(9, 31));

        Assert.True(sink.ClosedOf(M1).First().IsPartial);
        Assert.True(sink.ClosedOf(M5).First().IsPartial);
        Assert.All(sink.ClosedOf(M1).Skip(1).Concat(sink.ClosedOf(M5).Skip(1)), c => Assert.False(c.IsPartial));
        AssertAggregates(sink, M5, Ist(9, 30), expectPartial: null);
    }

    [Fact]
    public void History_seeded_into_the_finer_series_is_part_of_the_coarser_forming_bar()
    {
        Instrument instrument = Equity() with { Id = new InstrumentId(1) };
        var candles = new InstrumentCandles(instrument, new CandleOptions(), [M1, M5], Ist(9, 17, 30));
        var sink = new RecordingCandleSink();
        var random = new Random(9);
        DateTime t = Walk(candles, sink, random, Ist(9, 17, 30), Ist(9, 17, 50));

        // The 1m history lands after live ticks started (as it does: it is fetched while the feed runs).
        candles.Seed(M1, [History(Ist(9, 15), 990m, 1_000m, 980m, 995m, 500), History(Ist(9, 16), 995m, 1_020m, 990m, 1_001m, 700)], sink);
        candles.Seed(M5, [History(Ist(9, 10), 980m, 990m, 970m, 990m, 2_000)], sink);

        Walk(candles, sink, random, t, Ist(9, 26));
        Candle five = sink.ClosedOf(M5).First();
        Assert.Equal(Ist(9, 15), five.Start);
        Assert.Equal(Price.FromDecimal(990m), five.Open);
        Assert.True(five.IsPartial);
        AssertAggregates(sink, M5, Ist(9, 25), expectPartial: null, history: candles.Find(M1)!.History(100));
    }

    private static Candle History(DateTime start, decimal open, decimal high, decimal low, decimal close, long volume) =>
        new(start, start.AddMinutes(1), Price.FromDecimal(open), Price.FromDecimal(high), Price.FromDecimal(low), Price.FromDecimal(close), Quantity.FromUnits(volume), 0, CandleFlags.Closed | CandleFlags.History);

    /// <summary>Random ticks every 0.2–20 s (cumulative volume) from <paramref name="from"/> until <paramref name="until"/>, with the timer running.</summary>
    private static DateTime Walk(InstrumentCandles candles, RecordingCandleSink sink, Random random, DateTime from, DateTime until)
    {
        DateTime t = from;
        decimal price = 1000m;
        while (true)
        {
            DateTime next = t.AddMilliseconds(random.Next(200, 20_000));
            if (next >= until)
            {
                candles.Advance(until, sink);
                return until;
            }

            t = next;
            price += random.Next(-10, 11) * 0.05m;
            var tick = new Tick(new InstrumentId(1))
            {
                ExchangeTime = t, ReceiveTime = t, Ltp = Price.FromDecimal(price),
                Volume = Quantity.FromUnits(random.Next(1, 300)), Flags = TickFlags.None,
            };
            candles.Apply(in tick, sink);
            candles.Advance(t, sink);
        }
    }

    /// <summary>Every closed <paramref name="higher"/> bar ending by <paramref name="until"/> equals the aggregate of the 1m bars inside it.</summary>
    private static void AssertAggregates(RecordingCandleSink sink, CandleInterval higher, DateTime until, bool? expectPartial, IEnumerable<Candle>? history = null)
    {
        List<Candle> ones = [.. (history ?? []).Where(c => c.Flags.HasFlag(CandleFlags.History)), .. sink.ClosedOf(M1)];
        Assert.Contains(sink.ClosedOf(higher), c => c.End <= until);
        foreach (Candle bar in sink.ClosedOf(higher).Where(c => c.End <= until))
        {
            var parts = ones.Where(c => c.Start >= bar.Start && c.End <= bar.End).ToList();
            Assert.NotEmpty(parts);
            Assert.Equal(parts[0].Open, bar.Open);
            Assert.Equal(parts[^1].Close, bar.Close);
            Assert.Equal(parts.Max(p => p.High), bar.High);
            Assert.Equal(parts.Min(p => p.Low), bar.Low);
            Assert.Equal(parts.Sum(p => p.Volume.Raw), bar.Volume.Raw);
            Assert.Equal(parts.Sum(p => p.Ticks), bar.Ticks);
            Assert.Equal(expectPartial ?? parts.Any(p => p.IsPartial), bar.IsPartial);
        }
    }

    private static void Apply(InstrumentCandles candles, RecordingCandleSink sink, DateTime at, decimal price)
    {
        var tick = new Tick(new InstrumentId(1)) { ExchangeTime = at, ReceiveTime = at, Ltp = Price.FromDecimal(price) };
        candles.Apply(in tick, sink);
    }
}
