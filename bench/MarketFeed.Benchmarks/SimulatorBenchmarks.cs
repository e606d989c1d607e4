using BenchmarkDotNet.Attributes;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Benchmarks;

/// <summary>How fast the simulator makes ticks (an equity in quote mode, an option priced off the index, full depth).</summary>
[MemoryDiagnoser]
public class SimulatorBenchmarks
{
    private const int TicksPerInvoke = 1_024;
    private SimulatorMarket _market = null!;
    private InstrumentId _equity;
    private InstrumentId _option;
    private DateTime _now = new(2026, 11, 20, 4, 30, 0, DateTimeKind.Utc);

    [GlobalSetup]
    public void Setup()
    {
        var registry = new InstrumentRegistry();
        var specs = SimulatorUniverse.Build("sim", new DateOnly(2026, 11, 20), aroundTheClock: true);
        _market = new SimulatorMarket(specs.Select(s => (s, registry.Register(s.Definition))).ToList(), seed: 1);
        _equity = registry.Resolve("NSE:RELIANCE").Id;
        _option = registry.Resolve("NFO:NIFTY26NOV24000CE").Id;
    }

    private readonly DeterministicRandom _random = new(7);

    /// <summary>A reference the simulator's changes do not touch: one normal draw, the least a simulated tick does.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public double GaussianDraw()
    {
        double sum = 0;
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            sum += _random.NextGaussian();
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public long EquityQuote() => Generate(_equity, FeedMode.Quote);

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public long OptionFullDepth() => Generate(_option, FeedMode.Full);

    private long Generate(InstrumentId id, FeedMode mode)
    {
        long sum = 0;
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _now = _now.AddTicks(TimeSpan.TicksPerMillisecond);
            sum += _market.Next(id, _now, mode).Ltp.Raw;
        }

        return sum;
    }
}
