using Google.Protobuf;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Instruments;
using MarketFeed.Model;
using MarketFeed.Venues.Upstox.Proto;
using OptionGreeks = MarketFeed.Model.OptionGreeks;

namespace MarketFeed.Venues.Upstox.Emulator;

/// <summary>
/// Upstox's part in fuzzing: valid <c>FeedResponse</c> frames of the fuzz targets (one to four feeds in any mode) for the
/// shared <see cref="FrameFuzzer"/> to damage, what Upstox's framing promises (nothing about length: a protobuf message
/// cut at a field boundary is still one; no text at all), and the guard that reads each fuzzed frame with the client's
/// decoder and refuses it when it names an instrument that is not a target.
/// </summary>
internal sealed class UpstoxFuzzFrames(UpstoxEmulatorMarket market)
{
    private const int MaxFeeds = 4;
    private static readonly string[] s_modes = ["ltpc", "option_greeks", "full", "full_d30"];
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

    /// <summary>
    /// A valid frame of <paramref name="targets"/>, with the offsets of its map-entry tags and lengths as framing fields.
    /// Upstox sends no text: a "text" frame is the JSON rendering the SDKs print, which the client must reject.
    /// </summary>
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<string> targets, bool text, DateTime nowUtc)
    {
        FeedResponse response = UpstoxFrames.Response(initial: fuzzer.Choose(4) == 0, nowUtc);
        for (int count = 1 + fuzzer.Choose(MaxFeeds); count > 0; count--)
        {
            string key = targets[fuzzer.Choose(targets.Count)];
            market.TryGetInstrument(key, out Instrument? instrument);
            (Tick tick, OptionGreeks? greeks) = market.Latest(key, nowUtc);
            response.Feeds[key] = UpstoxFrames.Feed(tick, greeks, s_modes[fuzzer.Choose(s_modes.Length)], instrument!.Kind == InstrumentKind.Index, instrument.TickSize);
        }

        if (text)
        {
            return FuzzInput.TextFrame(JsonFormatter.Default.Format(response));
        }

        byte[] bytes = response.ToByteArray();
        return new FuzzInput(bytes, false, Fields(bytes));
    }

    /// <summary>Top-level fields: the tag byte and the first length byte of each (the lengths are what a corruption breaks).</summary>
    private static List<(int Offset, int Width)> Fields(byte[] bytes)
    {
        var fields = new List<(int, int)>();
        var input = new CodedInputStream(bytes);
        while (!input.IsAtEnd)
        {
            int offset = (int)input.Position;
            uint tag = input.ReadTag();
            fields.Add((offset, 1));
            if (WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                fields.Add(((int)input.Position, 1));
            }

            input.SkipLastField();
        }

        return fields;
    }

    /// <summary>Upstox promises only that frames are protobuf; every instrument that is not a target is protected.</summary>
    private FuzzProfile Profile(FuzzSettings settings)
    {
        var protectedKeys = new UpstoxKeyMap(market.Instruments
            .Where(i => !settings.IsTarget(i.Key))
            .Select(i => KeyValuePair.Create(i.Key, new UpstoxKeyEntry(i.Instrument.Id, i.Instrument.IsOption))));
        return new FuzzProfile
        {
            HeartbeatBelowBytes = 0,
            FramesDeclareTheirLength = false,
            TextIsJsonObject = false,
            TextNeverValid = true,
            NamesProtected = (bytes, text) => !text && protectedKeys.Count > 0 && NamesAny(bytes, protectedKeys),
        };
    }

    private static bool NamesAny(byte[] frame, UpstoxKeyMap keys)
    {
        var ticks = new List<Tick>();
        new UpstoxDecoder(() => keys, new UpstoxMarketSessions()).Decode(frame, default, ticks, null);
        return ticks.Count > 0;
    }
}
