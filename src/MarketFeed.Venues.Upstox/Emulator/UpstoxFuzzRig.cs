using Google.Protobuf;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Upstox.Proto;
using OptionGreeks = MarketFeed.Model.OptionGreeks;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>
/// Upstox for a <see cref="DecoderFuzzRun"/>: the Upstox emulator and the real <see cref="UpstoxFeed"/> in a host over
/// loopback, a 16 KiB frame limit, controls in every mode and an index, and two fuzz targets. Each fuzzed frame is
/// judged by a decoder of its own that knows no instrument (so it checks the bytes only), as the feed's will read them.
/// </summary>
public sealed class UpstoxFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;

    private readonly UpstoxDecoder _judge = new(() => new UpstoxKeyMap([]), new UpstoxMarketSessions());
    private readonly List<Tick> _judged = [];

    private UpstoxFuzzRig(UpstoxEmulator emulator, MarketFeedHost host, UpstoxFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        Dictionary<string, Instrument> controls = Controls.Select(c => host.Resolve(c.Symbol)).ToDictionary(i => i.NativeKey, StringComparer.Ordinal);
        var keys = new UpstoxKeyMap(controls.Values.Select(i => KeyValuePair.Create(i.NativeKey, new UpstoxKeyEntry(i.Id, i.IsOption))));

        // Merges as the feed's decoder does, from the same frames in the same order.
        var controlDecoder = new UpstoxDecoder(() => keys, new UpstoxMarketSessions());
        var decoded = new List<Tick>();
        emulator.Fuzzed += frame => Tally.Record(frame, Rejected(frame));
        emulator.Sent += (key, tick, greeks, mode) =>
        {
            if (controls.TryGetValue(key, out Instrument? control))
            {
                FeedResponse response = UpstoxFrames.Response(initial: false, DateTime.UtcNow);
                response.Feeds[key] = UpstoxFrames.Feed(tick, greeks, mode, control.Kind == InstrumentKind.Index, control.TickSize);
                decoded.Clear();
                controlDecoder.Decode(response.ToByteArray(), default, decoded, null);
                foreach (Tick t in decoded)
                {
                    ControlTicks.Record(key, in t);
                }
            }
        };
    }

    public override string Venue => "upstox";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("NSE:INFY", FeedMode.Ltp), ("NSE:RELIANCE", FeedMode.Quote), ("NSE:TCS", FeedMode.Full), ("NSE:NIFTY 50", FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["NSE:SBIN", "NSE:NIFTY BANK"];

    public override SentTickLog ControlTicks { get; } = new();

    public static Task<UpstoxFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            UpstoxEmulator.StartAsync(new UpstoxEmulatorOptions { TicksPerInstrumentPerSecond = 100 }, cancellationToken),
            "upstox",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Upstox:AccessToken"] = "emulator-token",
                    ["Upstox:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
                    ["Upstox:InstrumentsUrl"] = emulator.InstrumentsUrl.ToString(),
                    ["Upstox:CacheDirectory"] = cache,
                    ["Upstox:RequestsPerSecond"] = "50",
                }).AddInMemoryCollection(FuzzRigSettings.Stream("Upstox", FrameLimit)).Build();
                return new UpstoxFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new UpstoxFuzzRig(emulator, host, feed, cache),
            cancellationToken);

    /// <summary>Whether the feed rejects the frame (and counts it). Called on the emulator's loop only, one frame at a time.</summary>
    private bool Rejected(FuzzedFrame frame)
    {
        if (frame.Kind == FuzzKind.InvalidUtf8)
        {
            // Never reaches the feed: its WebSocket fails the connection first.
            return false;
        }

        if (frame.Bytes.Length > FrameLimit || frame.Text)
        {
            return true;
        }

        _judged.Clear();
        return !_judge.Decode(frame.Bytes, default, _judged, null);
    }
}
