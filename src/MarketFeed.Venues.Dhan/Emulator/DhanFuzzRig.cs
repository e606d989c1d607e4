using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using Microsoft.Extensions.Configuration;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// Dhan for a <see cref="DecoderFuzzRun"/>: the Dhan emulator and the real <see cref="DhanFeed"/> in a host over
/// loopback (depth off, so every control tick comes from one packet), a 16 KiB frame limit, controls in every mode and
/// an index, and two fuzz targets. Each fuzzed frame is judged by the decoder itself over the emulator's securities,
/// as the feed will read it. Controls are compared without <c>close</c> and <c>oi</c>, which Dhan sends in packets of
/// their own and the feed carries over from them.
/// </summary>
public sealed class DhanFuzzRig : FuzzRigBase
{
    public const int FrameLimit = 16 * 1024;

    private readonly DhanSecurityMap _judgeMap;

    private DhanFuzzRig(DhanEmulator emulator, MarketFeedHost host, DhanFeed feed, string cacheDirectory)
        : base(emulator, host, feed, cacheDirectory)
    {
        _judgeMap = new DhanSecurityMap(emulator.Market.Securities.Select(s => (s.Segment, s.SecurityId, s.Id, s.Instrument.TickSize)));
        var controls = Controls.Select(c => host.Resolve(c.Symbol)).ToDictionary(i => i.NativeKey, i => (i.Id, i.TickSize));
        Dictionary<string, DhanEmulatorSecurity> securities = emulator.Market.Securities.ToDictionary(s => s.NativeKey);
        emulator.Fuzzed += frame => Tally.Record(frame, Rejected(frame));
        emulator.Sent += (key, tick, mode) =>
        {
            if (controls.TryGetValue(key, out (InstrumentId Id, Price TickSize) control) && securities.TryGetValue(key, out DhanEmulatorSecurity? security))
            {
                // What the feed will make of the packet: compared field for field with what it delivers.
                byte[] packet = DhanEncoder.Packet(security.Segment, security.SecurityId, in tick, mode);
                if (DhanDecoder.TryDecodePacket(packet, new DhanSecurity(control.Id, control.TickSize, 0), Price.None, Quantity.None, default, out Tick decoded))
                {
                    ControlTicks.Record(key, in decoded);
                }
            }
        };
    }

    public override string Venue => "dhan";

    public override int MaxFrameBytes => FrameLimit;

    public override IReadOnlyList<(string Symbol, FeedMode Mode)> Controls { get; } =
        [("NSE:INFY", FeedMode.Ltp), ("NSE:RELIANCE", FeedMode.Quote), ("NSE:TCS", FeedMode.Full), ("NSE:NIFTY 50", FeedMode.Full)];

    public override IReadOnlyList<string> Targets { get; } = ["NSE:SBIN", "NSE:NIFTY BANK"];

    public override SentTickLog ControlTicks { get; } = new((_, tick) =>
    {
        tick.Close = Price.None;
        tick.Oi = Quantity.None;
        return tick;
    });

    public static Task<DhanFuzzRig> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(
            DhanEmulator.StartAsync(new DhanEmulatorOptions { TicksPerInstrumentPerSecond = 100 }, cancellationToken),
            "dhan",
            (emulator, cache) =>
            {
                IConfigurationRoot configuration = new ConfigurationBuilder()
                    .AddInMemoryCollection(DhanEmulatorSettings.For(emulator, cache))
                    .AddInMemoryCollection(new Dictionary<string, string?> { ["Dhan:Depth"] = "false" })
                    .AddInMemoryCollection(FuzzRigSettings.Stream("Dhan", FrameLimit)).Build();
                return new DhanFeed(configuration, TimeProvider.System);
            },
            (emulator, host, feed, cache) => new DhanFuzzRig(emulator, host, feed, cache),
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
            // Dhan's feed sends no text: every text frame is unreadable to it.
            return true;
        }

        var judge = new Judge();
        return !DhanDecoder.DecodeFrame(frame.Bytes, _judgeMap, default, ref judge).WellFormed;
    }

    private readonly struct Judge : IDhanTickHandler
    {
        public void OnTick(in Tick tick)
        {
        }

        public void OnPrevClose(in DhanSecurity security, Price close, Quantity previousOi)
        {
        }

        public void OnOpenInterest(in DhanSecurity security, Quantity oi)
        {
        }

        public void OnUnknownSecurity(byte segment, int securityId)
        {
        }

        public void OnDisconnect(int reason)
        {
        }
    }
}
