using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Decoding a frame of 100 full (162-byte) Dhan packets into ticks (float32 prices made exact on a 0.05 tick, IST
/// timestamps shifted, 5 + 5 depth), against a baseline that reads every field of the same bytes with its own type
/// and width (header, float32s, int32s, int16s, every depth row) and does nothing else.
/// </summary>
[MemoryDiagnoser]
public class DhanDecoderBenchmarks
{
    public const int PacketsPerFrame = 100;
    private byte[] _frame = null!;
    private DhanSecurityMap _map = null!;
    private readonly DateTime _received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);

    [GlobalSetup]
    public void Setup()
    {
        var packets = new List<byte[]>();
        var securities = new List<(byte, int, InstrumentId, Price)>();
        for (int i = 0; i < PacketsPerFrame; i++)
        {
            var tick = new Tick(new InstrumentId(i + 1))
            {
                Ltp = Price.FromDecimal(1000 + i), Ltq = Quantity.FromUnits(5), Atp = Price.FromDecimal(999.5m), Volume = Quantity.FromUnits(123_456),
                Open = Price.FromDecimal(990), High = Price.FromDecimal(1010), Low = Price.FromDecimal(985), Oi = Quantity.FromUnits(75_000),
                ExchangeTime = _received,
            };
            for (int level = 0; level < MarketDepth.Levels; level++)
            {
                tick.Depth.SetBid(level, new DepthLevel(Price.FromDecimal(999.95m - (level * 0.05m)), Quantity.FromUnits(100 + level), 3));
                tick.Depth.SetAsk(level, new DepthLevel(Price.FromDecimal(1000.05m + (level * 0.05m)), Quantity.FromUnits(90 + level), 2));
            }

            packets.Add(DhanEncoder.Packet(DhanSegment.NseFno, 40_000 + i, in tick, FeedMode.Full));
            securities.Add((DhanSegment.NseFno, 40_000 + i, new InstrumentId(i + 1), Price.FromDecimal(0.05m)));
        }

        _frame = DhanEncoder.Frame(packets);
        _map = new DhanSecurityMap(securities);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = PacketsPerFrame)]
    public double ReadEveryField()
    {
        double sum = 0;
        ReadOnlySpan<byte> frame = _frame;
        for (int offset = 0; offset + DhanPacket.FullLength <= frame.Length; offset += DhanPacket.FullLength)
        {
            ReadOnlySpan<byte> p = frame.Slice(offset, DhanPacket.FullLength);
            sum += p[0] + BinaryPrimitives.ReadUInt16LittleEndian(p[1..]) + p[3] + BinaryPrimitives.ReadInt32LittleEndian(p[4..]);
            sum += BinaryPrimitives.ReadSingleLittleEndian(p[8..]) + BinaryPrimitives.ReadUInt16LittleEndian(p[12..]) + BinaryPrimitives.ReadUInt32LittleEndian(p[14..]);
            sum += BinaryPrimitives.ReadSingleLittleEndian(p[18..]);
            for (int at = 22; at < 46; at += 4)
            {
                sum += BinaryPrimitives.ReadUInt32LittleEndian(p[at..]);
            }

            for (int at = 46; at < 62; at += 4)
            {
                sum += BinaryPrimitives.ReadSingleLittleEndian(p[at..]);
            }

            for (int at = 62; at < DhanPacket.FullLength; at += 20)
            {
                sum += BinaryPrimitives.ReadInt32LittleEndian(p[at..]) + BinaryPrimitives.ReadInt32LittleEndian(p[(at + 4)..])
                    + BinaryPrimitives.ReadUInt16LittleEndian(p[(at + 8)..]) + BinaryPrimitives.ReadUInt16LittleEndian(p[(at + 10)..])
                    + BinaryPrimitives.ReadSingleLittleEndian(p[(at + 12)..]) + BinaryPrimitives.ReadSingleLittleEndian(p[(at + 16)..]);
            }
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = PacketsPerFrame)]
    public double DecodeFullPackets()
    {
        var sink = new SumSink();
        DhanDecoder.DecodeFrame(_frame, _map, _received, ref sink);
        return sink.Sum;
    }

    private struct SumSink : IDhanTickHandler
    {
        public double Sum;

        public void OnTick(in Tick tick) => Sum += tick.Ltp.Raw + tick.Depth.Asks[4].Price.Raw;

        public readonly void OnPrevClose(in DhanSecurity security, Price close, Quantity previousOi)
        {
        }

        public readonly void OnOpenInterest(in DhanSecurity security, Quantity oi)
        {
        }

        public readonly void OnUnknownSecurity(byte segment, int securityId)
        {
        }

        public readonly void OnDisconnect(int reason)
        {
        }
    }
}
