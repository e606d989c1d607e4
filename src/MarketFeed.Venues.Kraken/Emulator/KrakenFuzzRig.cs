using System.Text;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// Kraken for a <see cref="DecoderFuzzRun"/>: the Kraken emulator and the real <see cref="KrakenFeed"/> in a host over
/// loopback, a 16 KiB frame limit (so oversized frames stay cheap), a control in each mode and two fuzz targets. Each
/// fuzzed frame is judged by a <see cref="KrakenStreamProtocol"/> of its own, as the feed's will read it.
/// </summary>
public sealed class KrakenFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;
    private const string FullControl = "SOL/USD";

    private readonly KrakenInstrumentMaster _master;
    private readonly FrameJudge _judge;
    private readonly StreamEvents _decoded = new();
    private readonly Dictionary<string, Tick> _controls;
    private readonly Lock _gate = new();

    private KrakenFuzzRig(KrakenEmulator emulator, MarketFeedHost host, KrakenFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        _master = feed.Master;
        _judge = new FrameJudge(new KrakenStreamProtocol(feed.Options, feed.Master, new FeedHealth("kraken-judge", TimeProvider.System)), FrameLimit);

        // Each control's running state starts as the hub's does: a tick with every field absent.
        _controls = Controls.Select(c => host.Resolve(c.Symbol)).ToDictionary(i => i.NativeKey, i => new Tick(i.Id), StringComparer.Ordinal);
        ControlTicks = new SentTickLog((key, tick) => key == FullControl ? TradeFields(in tick) : tick);

        // Until its first trade the full control's book updates carry no trade at all.
        ControlTicks.Record(FullControl, new Tick(host.Resolve("KRAKEN:" + FullControl).Id) { Updates = TickFields.TopOfBook });
        emulator.Fuzzed += frame => Tally.Record(frame, _judge.Rejects(frame));
        emulator.SentFrame += OnSentFrame;
    }

    public override string Venue => "kraken";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("KRAKEN:BTC/USD", FeedMode.Ltp), ("KRAKEN:ETH/USD", FeedMode.Quote), ("KRAKEN:" + FullControl, FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["KRAKEN:XRP/USD", "KRAKEN:DOGE/USD"];

    public override SentTickLog ControlTicks { get; }

    public static Task<KrakenFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            KrakenEmulator.StartAsync(new KrakenEmulatorOptions { TradesPerSymbolPerSecond = 100, MaxIncomingMessagesPerSecond = 50 }, cancellationToken),
            "kraken",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Kraken:StreamUrl"] = emulator.StreamUrl.ToString(),
                    ["Kraken:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
                    ["Kraken:CacheDirectory"] = cache,
                }).AddInMemoryCollection(FuzzRigSettings.Stream("Kraken", FrameLimit)).Build();
                return new KrakenFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new KrakenFuzzRig(emulator, host, feed, cache),
            cancellationToken);

    /// <summary>
    /// The full control's quote has two writers the rig cannot replay in order: tickers and the ticks the hub derives
    /// from its checksummed book. Only its trade fields are compared: price and quantity always, time and trade id
    /// when a trade is what the tick delivers.
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
    /// A control's trade or ticker message, decoded as the feed will, merged into the control's running state: the hub
    /// delivers the merged state for partial updates (a trade keeps the last bid and ask), so that is what is recorded.
    /// Book messages are the book's business (checked by their checksums), not compared here.
    /// </summary>
    private void OnSentFrame(string channel, string symbol, string text)
    {
        if (channel == KrakenRequests.Book || !_controls.TryGetValue(symbol, out Tick merged))
        {
            return;
        }

        lock (_gate)
        {
            _decoded.Clear();
            KrakenDecoder.Decode(Encoding.UTF8.GetBytes(text), _master.Symbols, DateTime.UtcNow, _decoded);
            foreach (Tick decoded in _decoded.Ticks)
            {
                merged.Merge(in decoded);
                ControlTicks.Record(symbol, in merged);
                if (symbol == FullControl && (decoded.Updates & TickFields.Trade) != 0)
                {
                    // The same trade, carried along by the book updates that follow it.
                    Tick carried = merged;
                    carried.Updates = TickFields.TopOfBook;
                    ControlTicks.Record(symbol, in carried);
                }
            }

            _controls[symbol] = merged;
            _decoded.Discard();
        }
    }
}
