using System.Globalization;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Venues.Kite.Emulator;

/// <summary>
/// Kite's part in fuzzing: valid frames of the fuzz targets for the shared <see cref="FrameFuzzer"/> to damage (one to
/// four packets of any mode, or an order, message or error text), what Kite's framing promises, and the guard that
/// reads each fuzzed frame as the client's decoder does and refuses it when it names an instrument that is not a target.
/// </summary>
internal sealed class KiteFuzzFrames(KiteEmulatorMarket market)
{
    private const int MaxPackets = 4;
    private static readonly FeedMode[] s_modes = [FeedMode.Ltp, FeedMode.Quote, FeedMode.Full];
    private FrameFuzzer? _fuzzer;
    private int _run = -1;

    public static string Key(uint token) => token.ToString(CultureInfo.InvariantCulture);

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
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<uint> targets, bool text, DateTime nowUtc)
    {
        if (text)
        {
            return FuzzInput.TextFrame(Text(fuzzer, targets[fuzzer.Choose(targets.Count)]));
        }

        var packets = new List<byte[]>(MaxPackets);
        var fields = new List<(int Offset, int Width)> { (0, 2) };
        int offset = 2;
        for (int count = 1 + fuzzer.Choose(MaxPackets); count > 0; count--)
        {
            uint token = targets[fuzzer.Choose(targets.Count)];
            Tick tick = market.Latest(token, nowUtc);
            byte[] packet = KiteEncoder.Packet(token, in tick, s_modes[fuzzer.Choose(s_modes.Length)]);
            fields.Add((offset, 2));
            fields.Add((offset + 2, 4));
            offset += 2 + packet.Length;
            packets.Add(packet);
        }

        return new FuzzInput(KiteEncoder.Frame(packets), false, fields);
    }

    private static string Text(FrameFuzzer fuzzer, uint token) => fuzzer.Choose(3) switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"order\",\"data\":{{\"order_id\":\"{261120000000 + fuzzer.Choose(1_000_000)}\",\"status\":\"COMPLETE\",\"instrument_token\":{token},\"filled_quantity\":{1 + fuzzer.Choose(100)},\"average_price\":{100 + fuzzer.Choose(5000)}.5}}}}"),
        1 => string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"message\",\"data\":\"fuzz message {fuzzer.Choose(1000)}\"}}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"error\",\"data\":\"fuzz error {fuzzer.Choose(1000)}\"}}"),
    };

    /// <summary>
    /// Kite's promises: a binary frame under 2 bytes is a heartbeat, a frame's count and lengths say exactly how long
    /// it is, and text is a JSON object. Every instrument that is not a target is protected.
    /// </summary>
    private FuzzProfile Profile(FuzzSettings settings)
    {
        var protectedTokens = new KiteTokenMap(market.Instruments
            .Where(i => !settings.IsTarget(Key(i.Token)))
            .Select(i => KeyValuePair.Create(i.Token, i.Instrument.Id)));
        return new FuzzProfile
        {
            HeartbeatBelowBytes = 2,
            FramesDeclareTheirLength = true,
            TextIsJsonObject = true,

            // Kite's text never carries ticks; a binary frame is read with the client's own decoder.
            NamesProtected = (bytes, text) => !text && protectedTokens.Count > 0 && NamesAny(bytes, protectedTokens),
        };
    }

    private static bool NamesAny(byte[] frame, KiteTokenMap tokens)
    {
        var probe = new Probe();
        KiteDecoder.DecodeFrame(frame, tokens, default, ref probe);
        return probe.Hit;
    }

    private struct Probe : IKiteTickHandler
    {
        public bool Hit;

        public void OnTick(in Tick tick) => Hit = true;

        public readonly void OnUnknownToken(uint token)
        {
        }
    }
}
