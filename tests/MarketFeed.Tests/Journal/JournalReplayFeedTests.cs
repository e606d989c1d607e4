using MarketFeed.Candles;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Hub;
using MarketFeed.Instruments;
using MarketFeed.Journal;
using MarketFeed.Model;
using MarketFeed.Serialization;
using MarketFeed.Simulation;
using MarketFeed.Tests.TestSupport;
using MarketFeed.Time;

namespace MarketFeed.Tests.Journal;

/// <summary>
/// Replay is a feed: a session recorded live and replayed at full speed through a new hub delivers the same ticks with
/// the same sequence numbers and closes the same candles, because the replay drives the clock by the recorded times.
/// </summary>
public sealed class JournalReplayFeedTests : IDisposable
{
    private static readonly string[] s_symbols = ["NSE:INFY", "NSE:NIFTY 50", "BINANCE:BTCUSDT"];
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("mf-replay-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task A_recorded_session_replays_to_the_same_ticks_and_the_same_candle_closes()
    {
        (List<string> liveTicks, List<string> liveCloses, DateTime liveEnd) = await RecordAsync();

        var options = new JournalReplayOptions { Directory = _directory.FullName, Speed = 0 };
        var clock = new ManualTimeProvider(new DateTimeOffset(JournalReplayFeed.FirstInstant(options)!.Value));
        var feed = new JournalReplayFeed(options, clock);
        await using MarketFeedHost host = await MarketFeedHost.StartAsync([feed], new HubOptions { Partitions = 2 }, clock);
        await using MarketSubscription sub = host.Subscribe(s_symbols, Options);
        await SimulatedHost.WaitUntil(() => feed.Finished, 30_000);
        clock.SetUtcNow(new DateTimeOffset(liveEnd));
        await host.Hub.FlushAsync();

        (List<string> replayTicks, List<string> replayCloses) = Drain(sub, host.Instruments);
        Assert.Equal(liveTicks.Count, replayTicks.Count);
        // The same ticks of each instrument in the same order (instruments interleave differently across partitions),
        // but now from the replay feed.
        Assert.Equal(PerInstrument(liveTicks), PerInstrument(replayTicks.Select(t => t
            .Replace("\"source\":\"replay\"", "\"source\":\"stream\"", StringComparison.Ordinal)
            .Replace("\"feed\":\"replay\"", "\"feed\":\"sim\"", StringComparison.Ordinal))));
        Assert.All(replayTicks, t => Assert.Contains("\"source\":\"replay\"", t));

        Assert.NotEmpty(liveCloses);
        Assert.Equal(liveCloses.Order(), replayCloses.Order());
        Assert.All(host.Instruments.All(), i => Assert.Equal("replay", i.Feed));
    }

    [Fact]
    public void A_recording_without_events_is_refused_with_its_name()
    {
        Directory.CreateDirectory(Path.Combine(_directory.FullName, "events"));
        var feed = new JournalReplayFeed(new JournalReplayOptions { Directory = _directory.FullName }, new ManualTimeProvider());
        JournalException e = Assert.Throws<JournalException>(() => feed.LoadInstrumentsAsync(new InstrumentRegistry(), CancellationToken.None).GetAwaiter().GetResult());
        Assert.Equal($"{_directory.FullName}: the recording holds no events to replay (its events/ log is empty)", e.Message);
    }

    /// <summary>The simulator without its candle history.</summary>
    private sealed class WithoutHistory(SimulatorFeed simulator) : IFeed
    {
        public string Name => simulator.Name;

        public FeedHealth Health => simulator.Health;

        public Task LoadInstrumentsAsync(InstrumentRegistry registry, CancellationToken cancellationToken) => simulator.LoadInstrumentsAsync(registry, cancellationToken);

        public Task RunAsync(FeedContext context, CancellationToken cancellationToken) => simulator.RunAsync(context, cancellationToken);

        public Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken) => simulator.CheckAsync(cancellationToken);

        public ValueTask DisposeAsync() => simulator.DisposeAsync();
    }

    /// <summary>Stable sort by symbol: each instrument's ticks keep their order.</summary>
    private static List<string> PerInstrument(IEnumerable<string> ticks) =>
        [.. ticks.OrderBy(t => t[..t.IndexOf("\"feed\"", StringComparison.Ordinal)], StringComparer.Ordinal)];

    private static SubscriberOptions Options => new() { Mode = FeedMode.Full, CandleIntervals = [CandleInterval.Parse("1m")] };

    private async Task<(List<string> Ticks, List<string> Closes, DateTime End)> RecordAsync()
    {
        // Live candles here come from ticks alone (no venue history merged in), so the replay must rebuild them exactly.
        var clock = new ManualTimeProvider(new DateTimeOffset(TestInstruments.Ist(10, 0), TimeSpan.Zero));
        var simulator = new SimulatorFeed(new SimulatorOptions { UniverseDate = SimulatedHost.UniverseDate, TicksPerInstrumentPerSecond = 0 }, clock);
        MarketFeedHost host = await MarketFeedHost.StartAsync([new WithoutHistory(simulator)], new HubOptions { Partitions = 2 }, clock);
        await SimulatedHost.WaitUntil(() => simulator.Health.State == FeedState.Connected);
        await using (host)
        {
            JournalRecorder recorder = JournalRecorder.Start(new JournalOptions { Directory = _directory.FullName }, "sim", JournalEventCodec.Version);
            JournalEventPump pump = JournalEventPump.Start(host.Hub, host.Instruments, recorder);
            await using MarketSubscription sub = host.Subscribe(s_symbols, Options);
            for (int step = 0; step < 12; step++)
            {
                await simulator.EmitAsync(30);
                clock.Advance(TimeSpan.FromSeconds(15));
                await host.Hub.FlushAsync();
            }

            (List<string> ticks, List<string> closes) = Drain(sub, host.Instruments);
            await pump.DisposeAsync();
            await recorder.DisposeAsync();
            return (ticks, closes, clock.GetUtcNow().UtcDateTime);
        }
    }

    private static (List<string> Ticks, List<string> Closes) Drain(MarketSubscription sub, InstrumentRegistry instruments)
    {
        var ticks = new List<string>();
        while (sub.Subscriber.TryReadTick(out Tick tick))
        {
            ticks.Add(TickJson.ToJson(in tick, instruments.Get(tick.Instrument)));
        }

        var closes = new List<string>();
        while (sub.Subscriber.TryReadCandle(out CandleEvent candle))
        {
            if (candle.IsClose)
            {
                Instrument instrument = instruments.Get(candle.Instrument);
                closes.Add($"{instrument.Symbol} {candle.Candle.Start:O} {candle.Candle.Open} {candle.Candle.High} {candle.Candle.Low} {candle.Candle.Close} {candle.Candle.Volume} {candle.Candle.Ticks}");
            }
        }

        return (ticks, closes);
    }
}
