using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Quality;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Simulation;

public class SimulatorMarketTests
{
    [Theory]
    [InlineData(FeedMode.Ltp)]
    [InlineData(FeedMode.Quote)]
    [InlineData(FeedMode.Full)]
    public void Every_simulated_tick_passes_admission_across_a_trading_day_change(FeedMode mode)
    {
        var registry = new InstrumentRegistry();
        List<(SimulatedSpec, Instrument)> universe =
            [.. SimulatorUniverse.Build("sim", SimulatedHost.UniverseDate, aroundTheClock: true).Select(s => (s, registry.Register(s.Definition)))];
        var market = new SimulatorMarket(universe, seed: 11);
        long maxSkew = TimeSpan.FromMinutes(10).Ticks;

        // 20 hours in 30 s steps: through the close, the night and the next day's open, for every instrument.
        DateTime start = TestInstruments.Ist(9, 15);
        var failures = new List<string>();
        for (DateTime now = start; now < start.AddHours(20); now = now.AddSeconds(30))
        {
            foreach ((_, Instrument instrument) in universe)
            {
                Tick tick = market.Next(instrument.Id, now, mode);
                AdmissionVerdict verdict = TickAdmission.Validate(in tick, maxSkew);
                if (verdict != AdmissionVerdict.Accept)
                {
                    failures.Add($"{instrument.Symbol} at {now:O}: {verdict}");
                }
            }
        }

        Assert.Empty(failures);
    }
}
