using System.Globalization;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan.Emulator;

/// <summary>
/// Dhan's part in fuzzing: valid frames of the fuzz targets for the shared <see cref="FrameFuzzer"/> to damage (one to
/// four packets of any code the feed sends for an instrument), what Dhan's framing promises, and the guard that reads
/// each fuzzed frame as the client's decoder does and refuses it when it names an instrument that is not a target or
/// turns into a disconnect packet (which would end the connection rather than test the decoder).
/// </summary>
internal sealed class DhanFuzzFrames(DhanEmulatorMarket market)
{
    private const int MaxPackets = 4;
    private static readonly FeedMode[] s_modes = [FeedMode.Ltp, FeedMode.Quote, FeedMode.Full];
    private FrameFuzzer? _fuzzer;
    private int _run = -1;

    /// <summary>The generator of this fuzz run: a fresh one, from the seed, whenever <c>fuzz=SEED</c> was given again.</summary>
    public FrameFuzzer For(FuzzSettings settings)
    {
        if (_fuzzer is null || _run != settings.Run)
        {
            _fuzzer = new FrameFuzzer(settings.Seed, Profile(settings));
            _run = settings.Run;
        }

        return _fuzzer;
    }

    /// <summary>A valid frame of <paramref name="targets"/> (sorted, so a seed replays), with its framing fields.</summary>
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<DhanEmulatorSecurity> targets, bool text, DateTime nowUtc)
    {
        if (text)
        {
            // Dhan's feed sends no text; REST's error object is the nearest thing it would.
            return FuzzInput.TextFrame(string.Create(CultureInfo.InvariantCulture, $"{{\"errorType\":\"Data_Error\",\"errorCode\":\"DH-907\",\"errorMessage\":\"fuzz {fuzzer.Choose(1000)}\"}}"));
        }

        var packets = new List<byte[]>(MaxPackets);
        var fields = new List<(int Offset, int Width)>();
        int offset = 0;
        for (int count = 1 + fuzzer.Choose(MaxPackets); count > 0; count--)
        {
            DhanEmulatorSecurity security = targets[fuzzer.Choose(targets.Count)];
            Tick tick = market.Latest(security, nowUtc);
            byte[] packet = fuzzer.Choose(5) switch
            {
                0 => DhanEncoder.OpenInterest(security.Segment, security.SecurityId, tick.Oi.HasValue ? tick.Oi : Quantity.FromUnits(1)),
                _ => DhanEncoder.Packet(security.Segment, security.SecurityId, in tick, s_modes[fuzzer.Choose(s_modes.Length)]),
            };
            fields.Add((offset, 1));
            fields.Add((offset + 1, 2));
            fields.Add((offset + 4, 4));
            offset += packet.Length;
            packets.Add(packet);
        }

        return new FuzzInput(DhanEncoder.Frame(packets), false, fields);
    }

    /// <summary>
    /// Dhan's promises: every packet says its own length, but a frame does not say how many packets it holds (a frame
    /// cut between packets, or with a whole packet more, is valid); text never comes. Every instrument that is not a
    /// target is protected.
    /// </summary>
    private FuzzProfile Profile(FuzzSettings settings)
    {
        var protectedMap = new DhanSecurityMap(market.Securities
            .Where(s => !settings.IsTarget(s.NativeKey))
            .Select(s => (s.Segment, s.SecurityId, s.Id, s.Instrument.TickSize)));
        return new FuzzProfile
        {
            HeartbeatBelowBytes = 0,
            FramesDeclareTheirLength = false,
            TextIsJsonObject = true,
            NamesProtected = (bytes, text) => !text && NamesAny(bytes, protectedMap),
        };
    }

    private static bool NamesAny(byte[] frame, DhanSecurityMap map)
    {
        var probe = new Probe();
        DhanDecoder.DecodeFrame(frame, map, default, ref probe);
        return probe.Hit;
    }

    private struct Probe : IDhanTickHandler
    {
        public bool Hit;

        public void OnTick(in Tick tick) => Hit = true;

        public void OnPrevClose(in DhanSecurity security, Price close, Quantity previousOi) => Hit = true;

        public void OnOpenInterest(in DhanSecurity security, Quantity oi) => Hit = true;

        public void OnDisconnect(int reason) => Hit = true;

        public readonly void OnUnknownSecurity(byte segment, int securityId)
        {
        }
    }
}
