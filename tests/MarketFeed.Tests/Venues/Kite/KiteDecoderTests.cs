using MarketFeed.Model;
using MarketFeed.Venues.Kite;

namespace MarketFeed.Tests.Venues.Kite;

/// <summary>The test vectors of docs/venues/kite.md, plus our own for every edge case.</summary>
public class KiteDecoderTests
{
    private static readonly DateTime s_received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
    private static readonly InstrumentId s_infy = new(1);
    private static readonly InstrumentId s_other = new(2);

    internal const string OfficialQuote = "00063a01 00026683 00000001 00026569 0011f1b2 0003e9ff 00058037 000264f3 0002673c 000261c9 0002646c";

    internal const string OfficialFull =
        "00063a01000266ba000000070002656d001232170003e9bb00058a01000264f30002673c000261c90002646c" +
        "60e2947f00000000000000000000000060e2947f000000050002669c000100000000008c0002667400020000000000020002666f" +
        "00010000000000db0002666a00070000000000320002666500010000000000ac000266ba000300000000002c000266bf0003" +
        "00000000012e000266c9000300000000008d000266ce00020000000002d4000266d300050000";

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    private static Price P(decimal value) => Price.FromDecimal(value);

    private static List<Tick> Decode(byte[] frame, out KiteFrameStats stats, KiteTokenMap? map = null)
    {
        var handler = new Collector();
        stats = KiteDecoder.DecodeFrame(frame, map ?? new KiteTokenMap([new(408065u, s_infy), new(884737u, s_other)]), s_received, ref handler);
        return handler.Ticks;
    }

    [Fact]
    public void The_official_ltp_frame_decodes_to_392_95()
    {
        Tick tick = Assert.Single(Decode(Hex("0001 0008 000d8001 0000997f"), out KiteFrameStats stats));
        Assert.Equal((s_other, P(392.95m), FeedMode.Ltp), (tick.Instrument, tick.Ltp, tick.Mode));
        Assert.False(tick.HasExchangeTime);
        Assert.Equal(s_received, tick.ReceiveTime);
        Assert.Equal(1, stats.Packets);
    }

    [Fact]
    public void The_official_quote_packet_decodes_every_field()
    {
        KiteDecoder.DecodePacket(Hex(OfficialQuote), s_infy, s_received, out Tick t);
        Assert.Equal(
            (P(1573.15m), Quantity.FromUnits(1), P(1570.33m), Quantity.FromUnits(1175986), P(1569.15m), P(1575m), P(1561.05m), P(1567.8m)),
            (t.Ltp, t.Ltq, t.Atp, t.Volume, t.Open, t.High, t.Low, t.Close));
        Assert.Equal((FeedMode.Quote, TickFlags.CumulativeVolume), (t.Mode, t.Flags));
        Assert.Equal(P(5.35m), t.Change);
        Assert.True(t.Depth.IsEmpty);
    }

    [Fact]
    public void The_official_full_packet_decodes_times_depth_and_top_of_book()
    {
        KiteDecoder.DecodePacket(Hex(OfficialFull), s_infy, s_received, out Tick t);
        Assert.Equal((P(1573.7m), Quantity.FromUnits(7), Quantity.FromUnits(1192471), FeedMode.Full), (t.Ltp, t.Ltq, t.Volume, t.Mode));
        Assert.Equal(new DateTime(2021, 7, 5, 5, 11, 27, DateTimeKind.Utc), t.ExchangeTime);
        Assert.Equal(Quantity.Zero, t.Oi);
        Assert.Equal(
            [(5, 1573.4m, 1), (140, 1573m, 2), (2, 1572.95m, 1), (219, 1572.9m, 7), (50, 1572.85m, 1)],
            Levels(t.Depth.Bids, t.Depth.BidCount));
        Assert.Equal(
            [(172, 1573.7m, 3), (44, 1573.75m, 3), (302, 1573.85m, 3), (141, 1573.9m, 2), (724, 1573.95m, 5)],
            Levels(t.Depth.Asks, t.Depth.AskCount));
        Assert.Equal((P(1573.4m), Quantity.FromUnits(5), P(1573.7m), Quantity.FromUnits(172)), (t.Bid, t.BidQty, t.Ask, t.AskQty));
    }

    [Fact]
    public void The_official_full_frame_header_is_read()
    {
        byte[] full = Hex(OfficialFull);
        Hex("000d8001").CopyTo(full, 0);
        Tick tick = Assert.Single(Decode(KiteEncoder.Frame([full]), out _));
        Assert.Equal(s_other, tick.Instrument);
    }

    [Fact]
    public void Index_packets_use_their_own_field_order_and_are_not_tradable()
    {
        var nifty = new Tick(new InstrumentId(9))
        {
            Ltp = P(24001.35m), High = P(24050m), Low = P(23900.5m), Open = P(23950m), Close = P(24080m),
            ExchangeTime = new DateTime(2026, 11, 20, 4, 0, 1, DateTimeKind.Utc),
        };
        const uint token = 256265; // NIFTY 50: 1001 << 8 | 9
        Assert.True(KiteSegments.IsIndex(token));

        KiteDecoder.DecodePacket(KiteEncoder.Packet(token, in nifty, FeedMode.Quote), new InstrumentId(9), s_received, out Tick quote);
        Assert.Equal(KitePacketKind.IndexQuote, KiteEncoder.PacketLength(token, FeedMode.Quote));
        Assert.Equal((P(24001.35m), P(24050m), P(23900.5m), P(23950m), P(24080m)), (quote.Ltp, quote.High, quote.Low, quote.Open, quote.Close));
        Assert.Equal(P(-78.65m), quote.Change);
        Assert.False(quote.Volume.HasValue || quote.Bid.HasValue || quote.HasExchangeTime);

        KiteDecoder.DecodePacket(KiteEncoder.Packet(token, in nifty, FeedMode.Full), new InstrumentId(9), s_received, out Tick full);
        Assert.Equal((FeedMode.Full, nifty.ExchangeTime), (full.Mode, full.ExchangeTime));
    }

    [Theory]
    [InlineData(3, 7, 12345678, "1.2345678")]   // CDS: 1e7
    [InlineData(6, 4, 123456, "12.3456")]       // BCD: 1e4
    [InlineData(12, 4, 5012345, "501.2345")]    // NCO: 1e4 (100× too high in clients before Sept 2026)
    [InlineData(1, 2, 293450, "2934.5")]        // NSE: 100
    [InlineData(11, 2, 100, "1")]               // unknown segment: 100
    public void Segment_divisors_come_from_one_table(int segment, int decimals, int raw, string expected)
    {
        Assert.Equal(decimals, KiteSegments.PriceDecimals(segment));
        uint token = (uint)((4242 << 8) | segment);
        byte[] packet = Hex($"{token:x8}{raw:x8}");
        KiteDecoder.DecodePacket(packet, s_infy, s_received, out Tick tick);
        Assert.Equal(expected, tick.Ltp.ToString());
    }

    [Fact]
    public void Prices_and_changes_are_signed()
    {
        byte[] packet = Hex($"{408065:x8}ffffff9c");
        KiteDecoder.DecodePacket(packet, s_infy, s_received, out Tick tick);
        Assert.Equal(P(-1m), tick.Ltp);
    }

    [Fact]
    public void Unknown_lengths_are_skipped_by_their_length_and_the_rest_of_the_frame_decodes()
    {
        byte[] frame = KiteEncoder.Frame([Hex("0001 0002 0003"), Hex("000d8001 0000997f"), Hex("00063a01 00026683")]);
        List<Tick> ticks = Decode(frame, out KiteFrameStats stats);
        Assert.Equal([s_other, s_infy], ticks.Select(t => t.Instrument));
        Assert.Equal((2, 1, false), (stats.Packets, stats.SkippedUnknownLength, stats.Truncated));
    }

    [Fact]
    public void A_truncated_frame_keeps_what_was_whole_and_says_so()
    {
        byte[] frame = KiteEncoder.Frame([Hex("000d8001 0000997f"), Hex(OfficialQuote)]);
        List<Tick> ticks = Decode(frame[..^10], out KiteFrameStats stats);
        Assert.Single(ticks);
        Assert.True(stats.Truncated);
        Assert.True(Decode(Hex("0003 0008 000d80"), out KiteFrameStats header).Count == 0 && header.Truncated);
    }

    [Fact]
    public void Bytes_past_the_declared_packets_are_reported_and_the_declared_ones_still_decode()
    {
        // Found by fuzzing: a count lowered from 2 to 1 used to lose the second packet without a trace.
        byte[] frame = KiteEncoder.Frame([Hex("000d8001 0000997f"), Hex(OfficialQuote)]);
        frame[1] = 1;
        Tick tick = Assert.Single(Decode(frame, out KiteFrameStats stats));
        Assert.Equal(s_other, tick.Instrument);
        Assert.Equal((2 + 44, false, false), (stats.TrailingBytes, stats.Truncated, stats.WellFormed));
        Assert.True(Decode(KiteEncoder.Frame([Hex("000d8001 0000997f")]), out KiteFrameStats whole).Count == 1 && whole.WellFormed);
    }

    [Fact]
    public void A_one_byte_frame_is_a_heartbeat()
    {
        Assert.Empty(Decode([0x00], out KiteFrameStats stats));
        Assert.True(stats.Heartbeat);
    }

    [Fact]
    public void A_token_missing_from_the_instrument_master_never_becomes_a_tick()
    {
        var handler = new Collector();
        KiteDecoder.DecodeFrame(Hex("0001 0008 00000001 0000997f"), new KiteTokenMap([new(408065u, s_infy)]), s_received, ref handler);
        Assert.Empty(handler.Ticks);
        Assert.Equal([1u], handler.UnknownTokens);
    }

    [Fact]
    public void Encoding_then_decoding_a_full_tick_round_trips()
    {
        KiteDecoder.DecodePacket(Hex(OfficialFull), s_infy, s_received, out Tick original);
        KiteDecoder.DecodePacket(KiteEncoder.Packet(408065, in original, FeedMode.Full), s_infy, s_received, out Tick again);
        Assert.True(original.SameMarketDataAs(in again));
    }

    private static (long, decimal, int)[] Levels(DepthLevels levels, int count) =>
        [.. Enumerable.Range(0, count).Select(i => ((long)levels[i].Quantity.ToDecimal(), levels[i].Price.ToDecimal(), levels[i].Orders))];

    private struct Collector : IKiteTickHandler
    {
        public Collector()
        {
        }

        public List<Tick> Ticks { get; } = [];

        public List<uint> UnknownTokens { get; } = [];

        public readonly void OnTick(in Tick tick) => Ticks.Add(tick);

        public readonly void OnUnknownToken(uint token) => UnknownTokens.Add(token);
    }
}
