using System.Text;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// Finnhub for a <see cref="DecoderFuzzRun"/>: the Finnhub emulator and the real <see cref="FinnhubFeed"/> in a host
/// over loopback, a 16 KiB frame limit (so oversized frames stay cheap), three controls (a stock, a crypto pair and a
/// forex pair) and two fuzz targets. Each fuzzed frame is judged by a <see cref="FinnhubStreamProtocol"/> of its own, as
/// the feed's will read it.
/// </summary>
public sealed class FinnhubFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;

    private readonly FinnhubInstrumentMaster _master;
    private readonly FrameJudge _judge;
    private readonly StreamEvents _decoded = new();
    private readonly Dictionary<InstrumentId, (string Key, Tick Merged)> _controls;
    private readonly Lock _gate = new();

    private FinnhubFuzzRig(FinnhubEmulator emulator, MarketFeedHost host, FinnhubFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        _master = feed.Master;
        _judge = new FrameJudge(new FinnhubStreamProtocol(feed.Options, feed.Master, new FeedHealth("finnhub-judge", TimeProvider.System)), FrameLimit);

        // Each control's running state starts as the hub's does: a tick with every field absent.
        _controls = Controls.Select(c => host.Resolve(c.Symbol)).ToDictionary(i => i.Id, i => (i.NativeKey, new Tick(i.Id)));
        emulator.Fuzzed += frame => Tally.Record(frame, _judge.Rejects(frame));
        emulator.SentFrame += OnSentFrame;
    }

    public override string Venue => "finnhub";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("FINNHUB:AAPL", FeedMode.Ltp), ("FINNHUB:BINANCE:BTCUSDT", FeedMode.Quote), ("FINNHUB:OANDA:EUR_USD", FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["FINNHUB:NVDA", "FINNHUB:BINANCE:ETHUSDT"];

    public override SentTickLog ControlTicks { get; } = new();

    public static Task<FinnhubFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            FinnhubEmulator.StartAsync(
                new FinnhubEmulatorOptions { TradesPerSymbolPerSecond = 100, PingInterval = TimeSpan.FromSeconds(1) }, cancellationToken),
            "finnhub",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder()
                    .AddInMemoryCollection(new FinnhubModule().ConfigurationFor(emulator.Address, cache))
                    .AddInMemoryCollection(FuzzRigSettings.Stream("Finnhub", FrameLimit)).Build();
                return new FinnhubFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new FinnhubFuzzRig(emulator, host, feed, cache),
            cancellationToken);

    /// <summary>
    /// A trade frame, decoded as the feed will: each trade of a control merged into that control's running state (the
    /// hub delivers the merged state for partial updates) and recorded.
    /// </summary>
    private void OnSentFrame(string text)
    {
        lock (_gate)
        {
            _decoded.Clear();
            FinnhubDecoder.Decode(Encoding.UTF8.GetBytes(text), _master.Symbols, DateTime.UtcNow, _decoded);
            foreach (Tick decoded in _decoded.Ticks)
            {
                if (_controls.TryGetValue(decoded.Instrument, out (string Key, Tick Merged) control))
                {
                    control.Merged.Merge(in decoded);
                    ControlTicks.Record(control.Key, in control.Merged);
                    _controls[decoded.Instrument] = control;
                }
            }

            _decoded.Discard();
        }
    }
}
