using System.Text;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// Coinbase for a <see cref="DecoderFuzzRun"/>: the Coinbase emulator (20 levels a side, so a snapshot stays under the
/// frame limit) and the real <see cref="CoinbaseFeed"/> in a host over loopback, a 16 KiB frame limit, a control in
/// each mode and two fuzz targets. Each fuzzed frame is judged by a <see cref="CoinbaseStreamProtocol"/> of its own, as
/// the feed's will read it: whether a frame is unreadable depends on its bytes alone, never on the sequence check.
/// </summary>
public sealed class CoinbaseFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;
    private const string FullControl = "SOL-USD";

    private readonly CoinbaseInstrumentMaster _master;
    private readonly FrameJudge _judge;
    private readonly StreamEvents _decoded = new();
    private readonly Dictionary<string, (string Key, Tick Merged)> _controls;
    private readonly Lock _gate = new();

    private CoinbaseFuzzRig(CoinbaseEmulator emulator, MarketFeedHost host, CoinbaseFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        _master = feed.Master;
        _judge = new FrameJudge(new CoinbaseStreamProtocol(feed.Options, feed.Master, new FeedHealth("coinbase-judge", TimeProvider.System)), FrameLimit);

        // Each control's running state starts as the hub's does: a tick with every field absent.
        _controls = Controls.Select(c => host.Resolve(c.Symbol)).ToDictionary(i => i.NativeKey, i => (i.NativeKey, new Tick(i.Id)));
        ControlTicks = new SentTickLog((key, tick) => key == FullControl ? TradeFields(in tick) : tick);

        // Until its first trade the full control's book updates carry no trade at all.
        ControlTicks.Record(FullControl, new Tick(host.Resolve("COINBASE:" + FullControl).Id) { Updates = TickFields.TopOfBook });
        emulator.Fuzzed += frame => Tally.Record(frame, _judge.Rejects(frame));
        emulator.SentFrame += OnSentFrame;
    }

    public override string Venue => "coinbase";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("COINBASE:BTC-USD", FeedMode.Ltp), ("COINBASE:ETH-USD", FeedMode.Quote), ("COINBASE:" + FullControl, FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["COINBASE:XRP-USD", "COINBASE:DOGE-USD"];

    public override SentTickLog ControlTicks { get; }

    public static Task<CoinbaseFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            CoinbaseEmulator.StartAsync(new CoinbaseEmulatorOptions { TradesPerProductPerSecond = 100, LevelsPerSide = 20 }, cancellationToken),
            "coinbase",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Coinbase:StreamUrl"] = emulator.StreamUrl.ToString(),
                    ["Coinbase:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
                    ["Coinbase:CacheDirectory"] = cache,
                }).AddInMemoryCollection(FuzzRigSettings.Stream("Coinbase", FrameLimit)).Build();
                return new CoinbaseFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new CoinbaseFuzzRig(emulator, host, feed, cache),
            cancellationToken);

    /// <summary>
    /// The full control's book has two writers the rig cannot replay in order (tickers and the ticks the hub derives
    /// from its level2 book), so only its trade fields are compared: price and quantity always, time and trade id when
    /// a trade is what the tick delivers.
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

    /// <summary>A control's message, decoded as the feed will, merged into the control's running state (what the hub delivers).</summary>
    private void OnSentFrame(string channel, string product, string text)
    {
        if (!_controls.TryGetValue(product, out (string Key, Tick Merged) control))
        {
            return;
        }

        lock (_gate)
        {
            _decoded.Clear();
            CoinbaseDecoder.Decode(Encoding.UTF8.GetBytes(text), _master.Products, DateTime.UtcNow, _decoded);
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

            _controls[product] = control;
            _decoded.Discard();
        }
    }
}
