using BenchmarkDotNet.Attributes;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Time;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Replay at <c>--speed max</c>: 100,000 recorded ticks of 20 instruments (1 ms apart, so 1-minute candles close)
/// read from a journal, checked, decoded and published through a host's hub on the recorded clock
/// (<see cref="JournalReplayFeed"/>), against the same ticks, already decoded, published straight into the same kind
/// of host on the same clock steps (the hub path alone). Each invocation starts a fresh host (not timed) and is timed
/// from the subscription that starts the play to the hub having processed the last tick; 15 iterations.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[IterationCount(15)]
public class JournalReplayBenchmarks
{
    private const int TickCount = 100_000;
    private const int InstrumentCount = 20;
    private static readonly DateTime s_start = new(2026, 11, 20, 3, 45, 0, DateTimeKind.Utc);
    private readonly Instrument[] _instruments = new Instrument[InstrumentCount];
    private readonly (int Instrument, Tick Tick)[] _ticks = new (int, Tick)[TickCount];
    private string _directory = "";
    private ManualTimeProvider _clock = null!;
    private MarketFeedHost _host = null!;
    private JournalReplayFeed? _replay;
    private InstrumentId[] _ids = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("mf-replay-bench-").FullName;
        SessionCalendar calendar = SessionCalendar.IndianEquity.AroundTheClock();
        for (int i = 0; i < InstrumentCount; i++)
        {
            _instruments[i] = new Instrument
            {
                Exchange = "NSE", TradingSymbol = "EQ" + i, Kind = InstrumentKind.Equity, TickSize = Price.FromScaled(5, 2),
                Calendar = calendar, Feed = JournalReplayFeed.FeedName, NativeKey = "EQ" + i,
            };
        }

        byte[] buffer = new byte[JournalEventCodec.MaxTickBytes("NSE:EQ99")];
        using JournalLogWriter log = JournalLogWriter.Open(new JournalOptions { Directory = _directory }, JournalLogKind.Normalized, "bench", 1);
        foreach (Instrument instrument in _instruments)
        {
            log.Append(JournalRecordKind.Marker, 0, 0, s_start, JournalInstrumentCodec.Write(instrument));
        }

        long volume = 1_000;
        for (int n = 0; n < TickCount; n++)
        {
            int i = n % InstrumentCount;
            DateTime at = s_start.AddMilliseconds(n + 1);
            volume += 10;
            var tick = new Tick(default)
            {
                Ltp = Price.FromDecimal(1000 + i) + Price.FromScaled(n % 3 * 5, 2), Bid = Price.FromDecimal(999.95m + i), Ask = Price.FromDecimal(1000.05m + i),
                BidQty = Quantity.FromUnits(100), AskQty = Quantity.FromUnits(120), Ltq = Quantity.FromUnits(10), Volume = Quantity.FromUnits(volume),
                Mode = FeedMode.Quote, Flags = TickFlags.CumulativeVolume, ExchangeTime = at, ReceiveTime = at,
            };
            int length = JournalEventCodec.WriteTick(buffer, in tick, _instruments[i].Symbol);
            log.Append(JournalRecordKind.Tick, 0, 0, at, buffer.AsSpan(0, length));

            // What the replay publishes: the recorded event, decoded, with the replay's source.
            Tick decoded = JournalEventCodec.ReadTick(buffer.AsSpan(0, length), out _);
            decoded.Seq = 0;
            decoded.Source = TickSource.Replay;
            _ticks[n] = (i, decoded);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [IterationSetup(Target = nameof(HubPathDirect))]
    public void StartDirect()
    {
        _clock = new ManualTimeProvider(new DateTimeOffset(s_start));
        _host = MarketFeedHost.StartAsync([], new HubOptions(), _clock).GetAwaiter().GetResult();
        _ids = [.. _instruments.Select(i => _host.Instruments.Register(i).Id)];
    }

    [IterationSetup(Target = nameof(ReplayMax))]
    public void StartReplay()
    {
        _clock = new ManualTimeProvider(new DateTimeOffset(s_start));
        _replay = new JournalReplayFeed(new JournalReplayOptions { Directory = _directory, Speed = 0 }, _clock);
        _host = MarketFeedHost.StartAsync([_replay], new HubOptions(), _clock).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Stop() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public async Task<long> HubPathDirect()
    {
        await using MarketSubscription subscription = Subscribe();
        foreach ((int instrument, Tick recorded) in _ticks)
        {
            // The replay's clock steps: flush before a timer (a candle close) is passed, then move the clock.
            var at = new DateTimeOffset(recorded.ReceiveTime);
            if (at > _clock.GetUtcNow())
            {
                if (_clock.NextDue is { } due && due <= at)
                {
                    await _host.Hub.FlushAsync();
                }

                _clock.SetUtcNow(at);
            }

            Tick tick = recorded;
            tick.Instrument = _ids[instrument];
            await _host.Hub.PublishAsync(tick);
        }

        await _host.Hub.FlushAsync();
        return _host.Hub.Quality().Accepted;
    }

    [Benchmark]
    public async Task<long> ReplayMax()
    {
        await using MarketSubscription subscription = Subscribe();
        while (!_replay!.Finished)
        {
            await Task.Delay(1);
        }

        await _host.Hub.FlushAsync();
        return _host.Hub.Quality().Accepted;
    }

    private MarketSubscription Subscribe() =>
        _host.Subscribe(_instruments.Select(i => i.Symbol), new SubscriberOptions { Mode = FeedMode.Full, TickPolicy = TickQueuePolicy.ConflateLatest });
}
