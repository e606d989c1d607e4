using MarketFeed.Candles;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Tests.Simulation;

/// <summary>The simulator's market in virtual time, measured as a trader would: volatility, chain consistency, history against live.</summary>
public class SimulatorRealismTests
{
    private static readonly DateOnly s_day = new(2026, 11, 20);
    private static readonly DateTime s_open = SessionCalendar.IndianEquity.SessionOf(s_day).OpenUtc;

    [Fact]
    public void Index_volatility_is_annual_and_the_same_whatever_the_tick_rate_or_what_else_is_subscribed()
    {
        double alone = MinuteVolatility("NSE:NIFTY 50", ticksPerSecond: 1, alsoTicking: []);
        Sim crowded = new(seed: 3);
        string[] options = [.. crowded.Universe.Where(u => u.Instrument.IsOption && u.Instrument.Underlying == "NSE:NIFTY 50").Take(14).Select(u => u.Instrument.Symbol)];
        double withOptions = MinuteVolatility("NSE:NIFTY 50", ticksPerSecond: 8, alsoTicking: options);

        // 375 one-minute returns estimate σ within about ±4 %; the target is 14 %.
        Assert.InRange(alone, 0.11, 0.17);
        Assert.InRange(withOptions, 0.11, 0.17);
    }

    [Theory]
    [InlineData("NSE:RELIANCE", 0.18, 0.30)]
    [InlineData("BINANCE:BTCUSDT", 0.40, 0.70)]
    public void Other_asset_classes_move_at_their_real_volatility(string symbol, double low, double high) =>
        Assert.InRange(MinuteVolatility(symbol, ticksPerSecond: 1, alsoTicking: []), low, high);

    [Fact]
    public void No_option_quote_is_below_intrinsic_against_the_index_tick_it_was_priced_from()
    {
        var sim = new Sim(seed: 5);
        var chain = sim.Universe.Where(u => u.Instrument.IsOption).Select(u => u.Instrument).ToList();
        Instrument nifty = sim.Instrument("NSE:NIFTY 50");
        Instrument bank = sim.Instrument("NSE:NIFTY BANK");
        var index = new Dictionary<string, double>();
        int checkedQuotes = 0;
        for (int second = 0; second < 600; second++)
        {
            DateTime now = s_open.AddMinutes(1).AddSeconds(second);
            index[nifty.Symbol] = sim.Market.Next(nifty.Id, now, FeedMode.Ltp).Ltp.ToDouble();
            index[bank.Symbol] = sim.Market.Next(bank.Id, now.AddMilliseconds(1), FeedMode.Ltp).Ltp.ToDouble();
            foreach (Instrument option in chain)
            {
                Tick tick = sim.Market.Next(option.Id, now.AddMilliseconds(500), FeedMode.Full);
                double intrinsic = Math.Max(0, (option.Kind == InstrumentKind.Call ? 1 : -1) * (index[option.Underlying!] - option.Strike.ToDouble()));
                Assert.True(tick.Bid.ToDouble() >= intrinsic && tick.Ltp.ToDouble() >= intrinsic, $"{option.Symbol} {tick.Bid}/{tick.Ltp} below intrinsic {intrinsic}");
                Assert.True(tick.Bid < tick.Ask && tick.Bid <= tick.Ltp && tick.Ltp <= tick.Ask);
                Assert.All(Enumerable.Range(0, tick.Depth.BidCount), l => Assert.Equal(0, tick.Depth.Bids[l].Quantity.ToDouble() % option.LotSize));
                Assert.Equal(0, tick.Ltq.ToDouble() % option.LotSize);
                checkedQuotes++;
            }
        }

        Assert.Equal(600 * chain.Count, checkedQuotes);
    }

    [Fact]
    public void Every_instrument_opens_with_a_previous_close_from_its_own_daily_history()
    {
        var sim = new Sim(seed: 9);
        DateTime now = s_open.AddMinutes(30);
        foreach (string symbol in new[] { "NSE:RELIANCE", "NSE:NIFTY 50", "NFO:NIFTY26NOV24000CE", "NFO:NIFTY26NOV24000PE", "NFO:NIFTY26NOVFUT" })
        {
            SimulatedInstrument s = sim.Market.Find(sim.Instrument(symbol).Id)!;
            IReadOnlyList<Candle> daily = SimulatorHistory.Build(s, CandleInterval.OneDay, s_open, 5, 9);
            Tick tick = sim.Market.Next(s.Instrument.Id, now, FeedMode.Full);
            Assert.Equal(daily[^1].Close, tick.Close);
            Assert.InRange(Math.Abs((tick.Ltp.ToDouble() / tick.Close.ToDouble()) - 1), 0, s.Instrument.IsOption ? 0.6 : 0.03);
            Assert.DoesNotContain(daily, c => c.Start.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && symbol.StartsWith("N", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void History_is_deterministic_for_a_seed_and_3m_and_5m_bars_are_the_aggregate_of_1m_bars_across_the_live_start()
    {
        Sim first = new(seed: 21);
        Sim again = new(seed: 21);
        Sim other = new(seed: 22);
        DateTime liveFrom = s_open.AddMinutes(100).AddSeconds(17);
        foreach (Sim sim in new[] { first, again, other })
        {
            for (DateTime t = liveFrom; t < liveFrom.AddMinutes(40); t = t.AddSeconds(2))
            {
                sim.Market.Next(sim.Instrument("NSE:RELIANCE").Id, t, FeedMode.Full);
                sim.Market.Next(sim.Instrument("NFO:NIFTY26NOV24000CE").Id, t.AddMilliseconds(5), FeedMode.Full);
            }
        }

        DateTime end = liveFrom.AddMinutes(45);
        foreach (string symbol in new[] { "NSE:RELIANCE", "NFO:NIFTY26NOV24000CE" })
        {
            IReadOnlyList<Candle> ones = first.History(symbol, CandleInterval.OneMinute, end, 300);
            Assert.Equal(ones, again.History(symbol, CandleInterval.OneMinute, end, 300));
            Assert.NotEqual(ones, other.History(symbol, CandleInterval.OneMinute, end, 300));
            foreach (int minutes in new[] { 3, 5 })
            {
                IReadOnlyList<Candle> bars = first.History(symbol, CandleInterval.FromLength(TimeSpan.FromMinutes(minutes)), end, 60);
                Assert.Equal(60, bars.Count);
                foreach (Candle bar in bars)
                {
                    List<Candle> parts = [.. ones.Where(c => c.Start >= bar.Start && c.End <= bar.End)];
                    Assert.Equal(minutes, parts.Count);
                    Assert.Equal(
                        (parts[0].Open, parts.Max(c => c.High), parts.Min(c => c.Low), parts[^1].Close, parts.Aggregate(Quantity.Zero, (q, c) => q + c.Volume)),
                        (bar.Open, bar.High, bar.Low, bar.Close, bar.Volume));
                }
            }
        }
    }

    [Fact]
    public void Live_day_volume_equals_the_sum_of_the_history_minutes()
    {
        var sim = new Sim(seed: 4);
        Instrument reliance = sim.Instrument("NSE:RELIANCE");
        Tick tick = default;
        DateTime start = s_open.AddMinutes(20);
        for (DateTime t = start; t <= start.AddMinutes(30); t = t.AddSeconds(5))
        {
            tick = sim.Market.Next(reliance.Id, t, FeedMode.Full);
        }

        IReadOnlyList<Candle> minutes = sim.History("NSE:RELIANCE", CandleInterval.OneMinute, start.AddMinutes(30), 50);
        Quantity history = minutes.Aggregate(Quantity.Zero, (q, c) => q + c.Volume);
        Assert.Equal(history, tick.Volume);
    }

    [Fact]
    public void The_chains_are_centred_on_their_index_previous_close_of_the_day()
    {
        foreach (DateOnly day in new[] { new DateOnly(2026, 11, 18), new DateOnly(2026, 11, 19), new DateOnly(2026, 11, 20) })
        {
            var sim = new Sim(seed: 42, day);
            foreach ((string index, decimal step) in new[] { ("NSE:NIFTY 50", 50m), ("NSE:NIFTY BANK", 100m) })
            {
                Tick tick = sim.Market.Next(sim.Instrument(index).Id, SessionCalendar.IndianEquity.SessionOf(day).OpenUtc.AddMinutes(1), FeedMode.Full);
                decimal[] strikes = [.. sim.Universe.Where(u => u.Instrument.IsOption && u.Instrument.Underlying == index).Select(u => u.Instrument.Strike.ToDecimal()).Distinct().Order()];
                Assert.Equal(Math.Round(tick.Close.ToDecimal() / step) * step, strikes[strikes.Length / 2]);
            }
        }
    }

    private static double MinuteVolatility(string symbol, double ticksPerSecond, string[] alsoTicking)
    {
        var sim = new Sim(seed: 3);
        Instrument instrument = sim.Instrument(symbol);
        Instrument[] others = [.. alsoTicking.Select(sim.Instrument)];
        SessionCalendar calendar = instrument.Calendar;
        DateTime open = calendar.SessionOf(s_day).OpenUtc;
        var closes = new List<double>();
        double last = 0;
        long steps = (long)(375 * 60 * ticksPerSecond);
        for (long i = 0; i < steps; i++)
        {
            DateTime now = open.AddTicks((long)(i * TimeSpan.TicksPerSecond / ticksPerSecond));
            if (now.Second == 0 && now.Ticks % TimeSpan.TicksPerSecond == 0 && last > 0)
            {
                closes.Add(last);
            }

            foreach (Instrument other in others)
            {
                sim.Market.Next(other.Id, now, FeedMode.Ltp);
            }

            last = sim.Market.Next(instrument.Id, now, FeedMode.Ltp).Ltp.ToDouble();
        }

        double[] returns = [.. closes.Zip(closes.Skip(1), (a, b) => Math.Log(b / a))];
        double mean = returns.Average();
        double variance = returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1);
        return Math.Sqrt(variance * TradingClockYear(calendar) / 60);
    }

    private static double TradingClockYear(SessionCalendar calendar) =>
        calendar.Length >= TimeSpan.FromDays(1) ? 365 * 86_400.0 : 252 * calendar.Length.TotalSeconds;

    /// <summary>The default universe on session hours in a market of its own.</summary>
    private sealed class Sim
    {
        public Sim(int seed, DateOnly? day = null)
        {
            var registry = new InstrumentRegistry();
            Universe = [.. SimulatorUniverse.Build("sim", day ?? s_day, aroundTheClock: false, seed: seed).Select(s => (s, registry.Register(s.Definition)))];
            Market = new SimulatorMarket(Universe, seed);
            Seed = seed;
        }

        public List<(SimulatedSpec Spec, Instrument Instrument)> Universe { get; }

        public SimulatorMarket Market { get; }

        public int Seed { get; }

        public Instrument Instrument(string symbol) => Universe.First(u => u.Instrument.Symbol == symbol).Instrument;

        public IReadOnlyList<Candle> History(string symbol, CandleInterval interval, DateTime end, int count) =>
            SimulatorHistory.Build(Market.Find(Instrument(symbol).Id)!, interval, end, count, Seed);
    }
}
