using System.Globalization;
using System.Text;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>
/// Kite for a <see cref="DecoderFuzzRun"/>: the Kite emulator and the real <see cref="KiteFeed"/> in a host over loopback,
/// a 16 KiB frame limit (so oversized frames stay cheap), controls in every mode and an index, and two fuzz targets.
/// Each fuzzed frame is judged by a <see cref="KiteStreamProtocol"/> of its own, as the feed's will read it.
/// </summary>
public sealed class KiteFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;

    private readonly KiteStreamProtocol _judge = new(() => new KiteOptions(), new KiteInstrumentMaster(), new FeedHealth("kite-judge", TimeProvider.System));
    private readonly List<Tick> _judged = [];

    private KiteFuzzRig(KiteEmulator emulator, MarketFeedHost host, KiteFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        Dictionary<uint, (string Key, InstrumentId Id)> controls = Controls
            .Select(c => host.Resolve(c.Symbol))
            .ToDictionary(i => uint.Parse(i.NativeKey, CultureInfo.InvariantCulture), i => (i.NativeKey, i.Id));
        emulator.Fuzzed += frame => Tally.Record(frame, Rejected(frame));
        emulator.Sent += (token, tick, mode) =>
        {
            if (controls.TryGetValue(token, out (string Key, InstrumentId Id) control))
            {
                // What the feed will make of the packet: compared field for field with what it delivers.
                KiteDecoder.DecodePacket(KiteEncoder.Packet(token, in tick, mode), control.Id, default, out Tick decoded);
                ControlTicks.Record(control.Key, in decoded);
            }
        };
    }

    public override string Venue => "kite";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("NSE:INFY", FeedMode.Ltp), ("NSE:RELIANCE", FeedMode.Quote), ("NSE:TCS", FeedMode.Full), ("NSE:NIFTY 50", FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["NSE:SBIN", "NSE:NIFTY BANK"];

    public override SentTickLog ControlTicks { get; } = new();

    public static Task<KiteFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            KiteEmulator.StartAsync(
                new KiteEmulatorOptions { TicksPerInstrumentPerSecond = 100, HeartbeatInterval = TimeSpan.FromMilliseconds(200) }, cancellationToken),
            "kite",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Kite:ApiKey"] = "emulator-key",
                    ["Kite:AccessToken"] = "emulator-token",
                    ["Kite:StreamUrl"] = emulator.StreamUrl.ToString(),
                    ["Kite:RestUrl"] = emulator.RestUrl.ToString().TrimEnd('/'),
                    ["Kite:CacheDirectory"] = cache,
                }).AddInMemoryCollection(FuzzRigSettings.Stream("Kite", FrameLimit)).Build();
                return new KiteFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new KiteFuzzRig(emulator, host, feed, cache),
            cancellationToken);

    /// <summary>Whether the feed rejects the frame (and counts it). Called on the emulator's loop only, one frame at a time.</summary>
    private bool Rejected(FuzzedFrame frame)
    {
        if (frame.Kind == FuzzKind.InvalidUtf8)
        {
            // Never reaches the feed: its WebSocket fails the connection first.
            return false;
        }

        if (frame.Bytes.Length > FrameLimit)
        {
            return true;
        }

        _judged.Clear();
        try
        {
            return frame.Text ? !_judge.HandleText(Encoding.UTF8.GetString(frame.Bytes)) : !_judge.DecodeBinary(frame.Bytes, default, _judged);
        }
        catch (Exception)
        {
            // The session counts it as a handler error; the run reports those on their own.
            return true;
        }
    }
}
