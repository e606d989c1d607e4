using System.Text;
using MarketFeed.Emulators.Faults;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Emulators.Tests.Fuzzing;

/// <summary>The fuzzer on its own, with Kite frames and Kite's promises: deterministic, honest about what must be rejected, and never near a protected instrument.</summary>
public class FrameFuzzerTests
{
    private const uint Infy = 408065;
    private const uint NiftyBank = 260105;
    private const uint Reliance = 738561;
    private const int Limit = 4096;
    private static readonly FuzzSettings s_everyKind = new() { On = true, OversizedBytes = Limit + 1, Kinds = Enum.GetValues<FuzzKind>().ToHashSet() };
    private static readonly KiteStreamProtocol s_kite = new(() => new KiteOptions(), new KiteInstrumentMaster(), new FeedHealth("kite", TimeProvider.System));
    private static readonly KiteTokenMap s_protected = new([new(Reliance, new InstrumentId(3))]);
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [Fact]
    public void The_same_seed_over_the_same_valid_frames_gives_the_same_frames_and_another_seed_others()
    {
        FuzzedFrame[] first = Frames(seed: 7, count: 2_000);
        FuzzedFrame[] again = Frames(seed: 7, count: 2_000);
        FuzzedFrame[] other = Frames(seed: 8, count: 2_000);
        Assert.True(first.Zip(again).All(p => p.First.Bytes.AsSpan().SequenceEqual(p.Second.Bytes) && (p.First.Kind, p.First.Text, p.First.MustReject) == (p.Second.Kind, p.Second.Text, p.Second.MustReject)));
        Assert.False(first.Zip(other).All(p => p.First.Bytes.AsSpan().SequenceEqual(p.Second.Bytes)));
    }

    [Fact]
    public void Frames_said_to_be_unreadable_are_unreadable_to_kite_and_text_is_utf8_unless_meant_not_to_be()
    {
        FuzzedFrame[] frames = Frames(seed: 11, count: 20_000);
        Assert.Equal(Enum.GetValues<FuzzKind>().Order(), frames.Select(f => f.Kind).Distinct().Order());
        foreach (FuzzedFrame frame in frames)
        {
            bool readable = frame.Bytes.Length <= Limit && (frame.Text ? s_kite.HandleText(Encoding.UTF8.GetString(frame.Bytes)) : s_kite.DecodeBinary(frame.Bytes, default, []));
            Assert.False(frame.MustReject && readable, $"{frame.Kind} frame said unreadable reads fine: {Convert.ToHexString(frame.Bytes)}");
            if (frame.Text)
            {
                Assert.Equal(frame.Kind != FuzzKind.InvalidUtf8, IsUtf8(frame.Bytes));
            }
        }

        Assert.All(frames.Where(f => f.Kind == FuzzKind.Oversized), f => Assert.True(f.Bytes.Length > Limit && f.MustReject));
        Assert.True(frames.Count(f => f.MustReject) > frames.Length / 4);
    }

    [Fact]
    public void A_frame_the_client_would_read_as_a_protected_instrument_is_never_made()
    {
        // The target's token is Reliance's minus one, so a length or token field set to ±1 often lands on Reliance.
        var settings = new FuzzSettings { On = true, Kinds = new HashSet<FuzzKind> { FuzzKind.FieldCorrupted, FuzzKind.Mutated } };
        var fuzzer = new FrameFuzzer(3, KiteProfile());
        for (int i = 0; i < 5_000; i++)
        {
            FuzzedFrame frame = fuzzer.Next(text => Valid(fuzzer, text, Reliance - 1), settings);
            Assert.False(NamesReliance(frame.Bytes), Convert.ToHexString(frame.Bytes));
        }

        Assert.True(fuzzer.Discarded > 0, "the guard had something to refuse");
        Assert.Equal(5_000, fuzzer.Produced);
    }

    [Fact]
    public void Fuzz_settings_take_effect_together_and_each_fuzz_starts_a_new_run()
    {
        var faults = new EmulatorFaults();
        Assert.Null(faults.Fuzz);
        faults.Apply("fuzz=7,fuzzrate=3,fuzzcount=10,fuzzsize=100,fuzzkinds=truncated+Oversized,fuzztarget=408065,fuzztarget=260105");
        FuzzSettings on = faults.Fuzz!;
        Assert.Equal((7L, 3, 10L, 100L, 1), (on.Seed, on.FramesPerStep, on.Limit, on.OversizedBytes, on.Run));
        Assert.Equal([FuzzKind.Truncated, FuzzKind.Oversized], on.Kinds.Order());
        Assert.True(on.IsTarget("408065") && !on.IsTarget("738561"));

        faults.Apply("-fuzz");
        Assert.Null(faults.Fuzz);
        faults.Apply("fuzz=7,-fuzztarget,-fuzzkinds");
        Assert.Equal((2, true), (faults.Fuzz!.Run, faults.Fuzz.IsTarget("738561")));
        Assert.DoesNotContain(FuzzKind.InvalidUtf8, faults.Fuzz.Kinds);
        Assert.Contains("truncated", Assert.Throws<ArgumentException>(() => faults.Apply("fuzzkinds=bogus")).Message);
    }

    private static FuzzedFrame[] Frames(long seed, int count)
    {
        var fuzzer = new FrameFuzzer(seed, KiteProfile());
        return [.. Enumerable.Range(0, count).Select(_ => fuzzer.Next(text => Valid(fuzzer, text, Infy, NiftyBank), s_everyKind))];
    }

    private static FuzzProfile KiteProfile() => new()
    {
        HeartbeatBelowBytes = 2,
        FramesDeclareTheirLength = true,
        TextIsJsonObject = true,
        NamesProtected = (bytes, text) => !text && NamesReliance(bytes),
    };

    private static FuzzInput Valid(FrameFuzzer fuzzer, bool text, params uint[] targets)
    {
        if (text)
        {
            return FuzzInput.TextFrame($"{{\"type\":\"message\",\"data\":\"note {fuzzer.Choose(100)} \u20b9\"}}");
        }

        var tick = new Tick(new InstrumentId(1))
        {
            Ltp = Price.FromDecimal(1573.15m), Ltq = Quantity.FromUnits(7), Atp = Price.FromDecimal(1570.33m), Volume = Quantity.FromUnits(1_175_986),
            Open = Price.FromDecimal(1569.15m), High = Price.FromDecimal(1575m), Low = Price.FromDecimal(1561.05m), Close = Price.FromDecimal(1567.8m),
            ExchangeTime = new DateTime(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc),
        };
        FeedMode[] modes = [FeedMode.Ltp, FeedMode.Quote, FeedMode.Full];
        var packets = new List<byte[]>();
        var fields = new List<(int, int)> { (0, 2) };
        for (int i = 1 + fuzzer.Choose(3); i > 0; i--)
        {
            fields.Add((2 + packets.Sum(p => 2 + p.Length), 2));
            fields.Add((4 + packets.Sum(p => 2 + p.Length), 4));
            packets.Add(KiteEncoder.Packet(targets[fuzzer.Choose(targets.Length)], in tick, modes[fuzzer.Choose(3)]));
        }

        return new FuzzInput(KiteEncoder.Frame(packets), false, fields);
    }

    private static bool NamesReliance(byte[] frame)
    {
        var probe = new Probe();
        KiteDecoder.DecodeFrame(frame, s_protected, default, ref probe);
        return probe.Ticks > 0;
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            s_strictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private struct Probe : IKiteTickHandler
    {
        public int Ticks;

        public void OnTick(in Tick tick) => Ticks++;

        public readonly void OnUnknownToken(uint token)
        {
        }
    }
}
