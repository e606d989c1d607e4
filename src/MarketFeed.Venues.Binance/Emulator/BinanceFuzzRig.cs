using System.Text;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Binance for a <see cref="DecoderFuzzRun"/>: the Binance emulator and the real <see cref="BinanceFeed"/> in a host
/// over loopback, a 16 KiB frame limit (so oversized frames stay cheap), a control in each mode and two fuzz targets.
/// Each fuzzed frame is judged by a <see cref="BinanceStreamProtocol"/> of its own, as the feed's will read it.
/// </summary>
public sealed class BinanceFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;
    private const string FullControl = "BNBUSDT";

    private readonly BinanceInstrumentMaster _master;
    private readonly FrameJudge _judge;
    private readonly StreamEvents _decoded = new();
    private readonly Dictionary<string, (string Key, Tick Merged)> _controls;
    private readonly Lock _gate = new();

    private BinanceFuzzRig(BinanceEmulator emulator, MarketFeedHost host, BinanceFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        _master = feed.Master;
        _judge = new FrameJudge(new BinanceStreamProtocol(feed.Options, feed.Master, feed.Rest, new FeedHealth("binance-judge", TimeProvider.System)), FrameLimit);
        // Each control's running state starts as the hub's does: a tick with every field absent.
        _controls = Controls
            .Select(c => host.Resolve(c.Symbol))
            .ToDictionary(i => i.NativeKey.ToLowerInvariant(), i => (i.NativeKey, new Tick(i.Id)));
        ControlTicks = new SentTickLog((key, tick) => key == FullControl ? TradeFields(in tick) : tick);

        // Until its first trade the full control's book updates carry no trade at all.
        ControlTicks.Record(FullControl, new Tick(host.Resolve("BINANCE:" + FullControl).Id) { Updates = TickFields.TopOfBook });
        emulator.Fuzzed += frame => Tally.Record(frame, _judge.Rejects(frame));
        emulator.SentFrame += OnSentFrame;
    }

    public override string Venue => "binance";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("BINANCE:BTCUSDT", FeedMode.Ltp), ("BINANCE:ETHUSDT", FeedMode.Quote), ("BINANCE:" + FullControl, FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["BINANCE:SOLUSDT", "BINANCE:XRPUSDT"];

    public override SentTickLog ControlTicks { get; }

    public static Task<BinanceFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            BinanceEmulator.StartAsync(new BinanceEmulatorOptions { TradesPerSymbolPerSecond = 100 }, cancellationToken),
            "binance",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Binance:StreamUrl"] = emulator.StreamUrl.ToString(),
                    ["Binance:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
                    ["Binance:CacheDirectory"] = cache,
                }).AddInMemoryCollection(FuzzRigSettings.Stream("Binance", FrameLimit)).Build();
                return new BinanceFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new BinanceFuzzRig(emulator, host, feed, cache),
            cancellationToken);

    /// <summary>
    /// The full control's book has two writers the rig cannot replay in order: <c>bookTicker</c> events and the ticks
    /// the hub derives from its depth book (snapshot from REST, then diffs), which share one update-id clock, so a
    /// bookTicker behind the book is delivered unmerged, flagged out of order. Only its trade fields are compared:
    /// price and quantity always, time and trade id when a trade is what the tick delivers.
    /// </summary>
    private static Tick TradeFields(in Tick tick)
    {
        bool trade = (tick.Updates & TickFields.Trade) != 0;
        return new Tick(tick.Instrument)
        {
            Ltp = tick.Ltp,
            Ltq = tick.Ltq,
            ExchangeTime = trade ? tick.ExchangeTime : default,
            VenueSequence = trade ? tick.VenueSequence : 0,
            Updates = tick.Updates & TickFields.Trade,
        };
    }

    /// <summary>
    /// A control's event, decoded as the feed will, merged into the control's running state: the hub delivers the
    /// merged state for partial updates (a trade keeps the last bid and ask), so that is what is recorded.
    /// </summary>
    private void OnSentFrame(string stream, string text)
    {
        int at = stream.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || !_controls.TryGetValue(stream[..at], out (string Key, Tick Merged) control))
        {
            return;
        }

        lock (_gate)
        {
            _decoded.Clear();
            BinanceDecoder.Decode(Encoding.UTF8.GetBytes(text), _master.Symbols, DateTime.UtcNow, _decoded);
            foreach (Tick decoded in _decoded.Ticks)
            {
                control.Merged.Merge(in decoded);
                ControlTicks.Record(control.Key, in control.Merged);
                if (control.Key == FullControl && (decoded.Updates & TickFields.Trade) != 0)
                {
                    // The same trade, carried along by the book updates that follow it.
                    Tick carried = control.Merged;
                    carried.Updates = TickFields.TopOfBook;
                    ControlTicks.Record(control.Key, in carried);
                }
            }

            _controls[stream[..at]] = control;
            _decoded.Discard();
        }
    }
}
