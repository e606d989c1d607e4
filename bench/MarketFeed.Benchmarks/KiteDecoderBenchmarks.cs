using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MarketFeed.Model;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Decoding a frame of 100 full (184-byte) packets, against a baseline that only reads every big-endian int32 of
/// the same bytes (the least a decoder must touch).
/// </summary>
[MemoryDiagnoser]
public class KiteDecoderBenchmarks
{
    public const int PacketsPerFrame = 100;
    private byte[] _frame = null!;
    private KiteTokenMap _tokens = null!;
    private readonly DateTime _received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);

    [GlobalSetup]
    public void Setup()
    {
        var packets = new List<byte[]>();
        var tokens = new List<KeyValuePair<uint, InstrumentId>>();
        for (int i = 0; i < PacketsPerFrame; i++)
        {
            uint token = (uint)(((1000 + i) << 8) | 1);
            var tick = new Tick(new InstrumentId(i + 1))
            {
                Ltp = Price.FromDecimal(1000 + i), Ltq = Quantity.FromUnits(5), Atp = Price.FromDecimal(999.5m), Volume = Quantity.FromUnits(123_456),
                Open = Price.FromDecimal(990), High = Price.FromDecimal(1010), Low = Price.FromDecimal(985), Close = Price.FromDecimal(995),
                Oi = Quantity.FromUnits(0), ExchangeTime = _received,
            };
            for (int level = 0; level < MarketDepth.Levels; level++)
            {
                tick.Depth.SetBid(level, new DepthLevel(Price.FromDecimal(999.95m - (level * 0.05m)), Quantity.FromUnits(100 + level), 3));
                tick.Depth.SetAsk(level, new DepthLevel(Price.FromDecimal(1000.05m + (level * 0.05m)), Quantity.FromUnits(90 + level), 2));
            }

            packets.Add(KiteEncoder.Packet(token, in tick, FeedMode.Full));
            tokens.Add(new(token, new InstrumentId(i + 1)));
        }

        _frame = KiteEncoder.Frame(packets);
        _tokens = new KiteTokenMap(tokens);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PacketsPerFrame)]
    public long ReadEveryInt32()
    {
        long sum = 0;
        ReadOnlySpan<byte> frame = _frame;
        for (int offset = 4; offset + 184 <= frame.Length; offset += 186)
        {
            for (int i = 0; i < 184; i += 4)
            {
                sum += BinaryPrimitives.ReadInt32BigEndian(frame[(offset + i)..]);
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerFrame)]
    public long DecodeFullPackets()
    {
        var sink = new SumSink();
        KiteDecoder.DecodeFrame(_frame, _tokens, _received, ref sink);
        return sink.Sum;
    }

    private struct SumSink : IKiteTickHandler
    {
        public long Sum;

        public void OnTick(in Tick tick) => Sum += tick.Ltp.Raw + tick.Depth.Asks[4].Price.Raw;

        public void OnUnknownToken(uint token)
        {
        }
    }
}
