using BenchmarkDotNet.Attributes;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Benchmarks;

/// <summary>
/// The hub's hot path per tick on one core: admit + quote book + 1m/5m/15m candles + one subscriber, against a
/// baseline that only copies each tick into a ring (the least any pipeline must do), measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class HubPathBenchmarks
{
    private const int TicksPerInvoke = 4_096;
    private HubWorkload _workload = null!;
    private readonly Tick[] _ring = new Tick[TicksPerInvoke];

    [GlobalSetup]
    public void Setup()
    {
        _workload = new HubWorkload();

        // Warm every structure to its steady size (candle rings, subscriber queue) before measuring.
        for (int i = 0; i < 2_000_000; i++)
        {
            Tick tick = _workload.NextTick();
            _workload.Partition.Process(ref tick);
            if ((i & 1023) == 0)
            {
                _workload.Partition.OnClock(_workload.Now);
                _workload.DrainSubscriber();
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public void CopyTickIntoRing()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _ring[i] = _workload.NextTick();
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void HubPath()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            Tick tick = _workload.NextTick();
            _workload.Partition.Process(ref tick);
        }

        _workload.Partition.OnClock(_workload.Now);
        _workload.DrainSubscriber();
    }
}

/// <summary>
/// The same hub path with a firehose consumer attached (the journal's, the bus's), drained like the subscriber, next
/// to the same baseline and the path without it, all in one run: what attaching a tap costs per tick.
/// </summary>
[MemoryDiagnoser]
public class HubPathWithFirehoseBenchmarks
{
    private const int TicksPerInvoke = 4_096;
    private HubWorkload _plain = null!;
    private HubWorkload _tapped = null!;
    private Taps.Firehose _firehose = null!;
    private readonly Tick[] _ring = new Tick[TicksPerInvoke];

    [GlobalSetup]
    public void Setup()
    {
        _plain = new HubWorkload();
        _tapped = new HubWorkload();
        _firehose = _tapped.Hub.AttachFirehose(new Taps.FirehoseOptions { Capacity = TicksPerInvoke });
        // Warm both to their steady size (2 M ticks each, closes included), as the plain benchmark does.
        for (int i = 0; i < 2_000; i++)
        {
            Run(_plain, 1_024);
            Run(_tapped, 1_024);
            Drain();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public void CopyTickIntoRing()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            _ring[i] = _plain.NextTick();
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void HubPath() => Run(_plain, TicksPerInvoke);

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void HubPathWithFirehose()
    {
        Run(_tapped, TicksPerInvoke);
        Drain();
    }

    private static void Run(HubWorkload workload, int ticks)
    {
        for (int i = 0; i < ticks; i++)
        {
            Tick tick = workload.NextTick();
            workload.Partition.Process(ref tick);
        }

        workload.Partition.OnClock(workload.Now);
        workload.DrainSubscriber();
    }

    private void Drain()
    {
        // A consumer that reads each event in place, as a journal serializing it would.
        var reader = new CountingReader();
        _firehose.Drain(ref reader);
    }

    private struct CountingReader : Taps.IFirehoseReader
    {
        public long Ticks;

        public void OnTick(in Tick tick) => Ticks += tick.Seq;

        public void OnCandleClosed(in Hub.CandleEvent candle) => Ticks++;
    }
}

/// <summary>Candle builder alone: one series, and the three default timeframes of one instrument, against a bare OHLC update.</summary>
[MemoryDiagnoser]
public class CandleBuilderBenchmarks
{
    private const int TicksPerInvoke = 4_096;
    private readonly NullSink _sink = new();
    private CandleSeries _series = null!;
    private InstrumentCandles _threeTimeframes = null!;
    private HubWorkload _workload = null!;
    private Price _high;
    private Price _low;
    private Price _close;

    [GlobalSetup]
    public void Setup()
    {
        _workload = new HubWorkload();
        var instrument = new MarketFeed.Instruments.Instrument
        {
            Id = new InstrumentId(1), Exchange = "NSE", TradingSymbol = "X", Kind = InstrumentKind.Equity,
            TickSize = Price.FromScaled(5, 2), Calendar = _workload.Calendar, Feed = "bench", NativeKey = "X",
        };
        _series = new CandleSeries(instrument.Id, CandleInterval.OneMinute, _workload.Calendar, 500, EmptyIntervalPolicy.Skip);
        _threeTimeframes = new InstrumentCandles(instrument, new CandleOptions(), [CandleInterval.OneMinute, CandleInterval.FiveMinutes, CandleInterval.FifteenMinutes]);
        for (int i = 0; i < 1_000_000; i++)
        {
            ApplySeries();
            ApplyThree();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TicksPerInvoke)]
    public void BareOhlcUpdate()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            Tick tick = _workload.NextTick();
            _high = Price.Max(_high, tick.Ltp);
            _low = Price.Min(_low, tick.Ltp);
            _close = tick.Ltp;
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void OneSeries()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            ApplySeries();
        }
    }

    [Benchmark(OperationsPerInvoke = TicksPerInvoke)]
    public void ThreeTimeframesWithVolume()
    {
        for (int i = 0; i < TicksPerInvoke; i++)
        {
            ApplyThree();
        }
    }

    private void ApplySeries()
    {
        Tick tick = _workload.NextTick();
        _series.Apply(tick.EventTime, tick.Ltp, Quantity.FromUnits(10), _sink);
    }

    private void ApplyThree()
    {
        Tick tick = _workload.NextTick();
        tick.Instrument = new InstrumentId(1);
        _threeTimeframes.Apply(in tick, _sink);
    }

    private sealed class NullSink : ICandleSink
    {
        public void OnCandleUpdated(CandleSeries series, in Candle candle)
        {
        }

        public void OnCandleClosed(CandleSeries series, in Candle candle)
        {
        }
    }
}
