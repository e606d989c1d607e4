using System.Buffers.Binary;
using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

/// <summary>The real frame of the Dhan spec (, from DhanHQ-py#90), plus our own for every edge case.</summary>
public class DhanDecoderTests
{
    private static readonly DateTime s_received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
    private static readonly InstrumentId s_option = new(1);
    private static readonly InstrumentId s_reliance = new(2);
    private static readonly Price s_paise5 = Price.FromDecimal(0.05m);

    /// <summary>The first 14 bytes of a real 162-byte NSE_FNO full packet; the rest of it is zero here.</summary>
    internal const string RealFullStart = "08a20002f4d90000cd4c18434b00";

    private static DhanSecurityMap Map() => new([(DhanSegment.NseFno, 55796, s_option, s_paise5), (DhanSegment.NseEquity, 2885, s_reliance, s_paise5)]);

    private static Price P(decimal value) => Price.FromDecimal(value);

    internal static byte[] RealFull()
    {
        byte[] packet = new byte[DhanPacket.FullLength];
        Convert.FromHexString(RealFullStart).CopyTo(packet, 0);
        return packet;
    }

    private static List<Tick> Decode(byte[] frame, out DhanFrameStats stats, DhanSecurityMap? map = null) => Decode(frame, out stats, out _, map);

    private static List<Tick> Decode(byte[] frame, out DhanFrameStats stats, out Collector handler, DhanSecurityMap? map = null)
    {
        handler = new Collector(map ??= Map());
        stats = DhanDecoder.DecodeFrame(frame, map, s_received, ref handler);
        return handler.Ticks;
    }

    private static Tick Sample(decimal ltp = 2930.55m)
    {
        var tick = new Tick(s_reliance)
        {
            Ltp = P(ltp), Ltq = Quantity.FromUnits(12), Atp = P(2928.4m), Volume = Quantity.FromUnits(1_234_567),
            Open = P(2915m), High = P(2941.25m), Low = P(2910.1m), Oi = Quantity.FromUnits(0),
            BidQty = Quantity.FromUnits(900), AskQty = Quantity.FromUnits(800),
            ExchangeTime = new DateTime(2026, 11, 20, 3, 50, 7, DateTimeKind.Utc),
        };
        for (int i = 0; i < 5; i++)
        {
            tick.Depth.SetBid(i, new DepthLevel(P(ltp - 0.05m - (0.05m * i)), Quantity.FromUnits(10 + i), 1 + i));
            tick.Depth.SetAsk(i, new DepthLevel(P(ltp + 0.05m + (0.05m * i)), Quantity.FromUnits(20 + i), 2 + i));
        }

        return tick;
    }

    [Fact]
    public void The_real_full_packet_decodes_to_152_30_and_75_on_security_55796()
    {
        Tick tick = Assert.Single(Decode(RealFull(), out DhanFrameStats stats));
        Assert.Equal((s_option, P(152.30m), Quantity.FromUnits(75), FeedMode.Full), (tick.Instrument, tick.Ltp, tick.Ltq, tick.Mode));
        Assert.True(stats.WellFormed);
        Assert.False(tick.HasExchangeTime);
        Assert.Equal(0, tick.Depth.BidCount);
        Assert.False(tick.Bid.HasValue);
    }

    [Fact]
    public void Times_are_ist_wall_clock_written_as_epoch_and_become_true_instants()
    {
        // 2024-10-24 09:15:00 IST is 03:45:00 UTC; Dhan writes 09:15:00 "as if UTC".
        uint istAsEpoch = (uint)(new DateTime(2024, 10, 24, 9, 15, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).TotalSeconds;
        byte[] ticker = new byte[DhanPacket.TickerLength];
        DhanEncoder.Header(ticker, DhanPacket.Ticker, DhanSegment.NseEquity, 2885);
        BinaryPrimitives.WriteSingleLittleEndian(ticker.AsSpan(8), 2930.55f);
        BinaryPrimitives.WriteUInt32LittleEndian(ticker.AsSpan(12), istAsEpoch);
        Tick tick = Assert.Single(Decode(ticker, out _));
        Assert.Equal(new DateTime(2024, 10, 24, 3, 45, 0, DateTimeKind.Utc), tick.ExchangeTime);
        Assert.Equal((P(2930.55m), FeedMode.Ltp, TickFields.Trade), (tick.Ltp, tick.Mode, tick.Updates));
    }

    [Theory]
    [InlineData(FeedMode.Ltp)]
    [InlineData(FeedMode.Quote)]
    [InlineData(FeedMode.Full)]
    public void What_the_encoder_writes_the_decoder_reads_back_exactly_on_the_tick_size(FeedMode mode)
    {
        Tick sent = Sample();
        Tick tick = Assert.Single(Decode(DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, mode), out DhanFrameStats stats));
        Assert.True(stats.WellFormed);
        Assert.Equal((sent.Ltp, sent.ExchangeTime, mode), (tick.Ltp, tick.ExchangeTime, tick.Mode));
        if (mode >= FeedMode.Quote)
        {
            Assert.Equal((sent.Ltq, sent.Atp, sent.Volume, sent.Open, sent.High, sent.Low), (tick.Ltq, tick.Atp, tick.Volume, tick.Open, tick.High, tick.Low));
        }

        if (mode == FeedMode.Full)
        {
            Assert.Equal((sent.Depth.Bids[0].Price, sent.Depth.Asks[0].Price), (tick.Bid, tick.Ask));
            Assert.Equal((5, 5), (tick.Depth.BidCount, tick.Depth.AskCount));
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(sent.Depth.Bids[i], tick.Depth.Bids[i]);
                Assert.Equal(sent.Depth.Asks[i], tick.Depth.Asks[i]);
            }

            Assert.Equal(TickFields.All, tick.Updates);
        }
    }

    [Fact]
    public void Several_packets_in_one_frame_all_decode_and_prev_close_and_oi_feed_the_next_quote()
    {
        Tick sent = Sample();
        byte[] frame = DhanEncoder.Frame(
        [
            DhanEncoder.PrevClose(DhanSegment.NseEquity, 2885, P(2900m), Quantity.FromUnits(4_125_000)),
            DhanEncoder.OpenInterest(DhanSegment.NseEquity, 2885, Quantity.FromUnits(4500)),
            DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, FeedMode.Quote),
            DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, FeedMode.Ltp),
        ]);
        DhanSecurityMap map = Map();
        List<Tick> ticks = Decode(frame, out DhanFrameStats stats, map);
        Assert.True(stats.WellFormed);
        Assert.Equal(4, stats.Packets);
        Assert.Equal(2, ticks.Count);
        Assert.Equal((P(2900m), P(30.55m), Quantity.FromUnits(4500)), (ticks[0].Close, ticks[0].Change, ticks[0].Oi));
        Assert.Equal(TickFields.Trade | TickFields.DayStats | TickFields.OpenInterest, ticks[0].Updates);
        Assert.Equal(P(2900m), ticks[1].Close);

        // The previous day's OI (bytes 12–15 of code 6) is kept for option chains.
        Assert.True(map.TryGet(DhanSegment.NseEquity, 2885, out DhanSecurity security));
        Assert.Equal(Quantity.FromUnits(4_125_000), map.PreviousOpenInterest(security.Slot));
    }

    [Fact]
    public void A_length_that_disagrees_with_its_code_is_skipped_and_counted_and_the_rest_still_decodes()
    {
        Tick sent = Sample();
        byte[] wrong = new byte[20];
        DhanEncoder.Header(wrong, DhanPacket.Ticker, DhanSegment.NseEquity, 2885);
        byte[] unknown = new byte[24];
        DhanEncoder.Header(unknown, 99, DhanSegment.NseEquity, 2885);
        byte[] frame = DhanEncoder.Frame([wrong, unknown, DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, FeedMode.Ltp)]);
        Tick tick = Assert.Single(Decode(frame, out DhanFrameStats stats));
        Assert.Equal(sent.Ltp, tick.Ltp);
        Assert.Equal((1, 1, 1, false), (stats.Packets, stats.BadPackets, stats.UnknownCodes, stats.Truncated));
        Assert.False(stats.WellFormed);
    }

    [Fact]
    public void A_frame_cut_inside_a_packet_keeps_what_came_before_and_reports_the_cut()
    {
        Tick sent = Sample();
        byte[] frame = DhanEncoder.Frame([DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, FeedMode.Ltp), RealFull()[..40]]);
        Assert.Single(Decode(frame, out DhanFrameStats stats));
        Assert.True(stats.Truncated);
    }

    [Fact]
    public void A_security_the_scrip_master_does_not_know_is_counted_never_guessed()
    {
        Tick sent = Sample();
        List<Tick> ticks = Decode(DhanEncoder.Packet(DhanSegment.BseEquity, 2885, in sent, FeedMode.Full), out DhanFrameStats stats, out Collector handler);
        Assert.Empty(ticks);
        Assert.Equal(1, handler.Unknown);
        Assert.True(stats.WellFormed);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(-5f)]
    [InlineData(3e9f)]
    public void A_price_that_is_not_a_price_makes_the_packet_bad_never_a_silent_wrong_price(float ltp)
    {
        byte[] ticker = new byte[DhanPacket.TickerLength];
        DhanEncoder.Header(ticker, DhanPacket.Ticker, DhanSegment.NseEquity, 2885);
        BinaryPrimitives.WriteSingleLittleEndian(ticker.AsSpan(8), ltp);
        Assert.Empty(Decode(ticker, out DhanFrameStats stats));
        Assert.Equal(1, stats.BadPackets);
    }

    [Fact]
    public void No_trade_yet_is_no_last_price_not_a_price_of_zero()
    {
        Tick sent = Sample() with { Ltp = Price.None };
        Tick tick = Assert.Single(Decode(DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, FeedMode.Quote), out _));
        Assert.False(tick.Ltp.HasValue);
        Assert.Equal(TickFields.None, tick.Updates & TickFields.Trade);
    }

    [Fact]
    public void The_disconnect_packet_reports_its_reason_and_ends_the_frame()
    {
        Tick sent = Sample();
        byte[] frame = DhanEncoder.Frame([DhanEncoder.Disconnect(807), DhanEncoder.Packet(DhanSegment.NseEquity, 2885, in sent, FeedMode.Ltp)]);
        Assert.Empty(Decode(frame, out _, out Collector handler));
        Assert.Equal(807, handler.Disconnect);
    }

    private struct Collector(DhanSecurityMap map) : IDhanTickHandler
    {
        public List<Tick> Ticks { get; } = [];

        public int Unknown { get; private set; }

        public int Disconnect { get; private set; }

        public readonly void OnTick(in Tick tick) => Ticks.Add(tick);

        public readonly void OnPrevClose(in DhanSecurity security, Price close, Quantity previousOi)
        {
            map.SetPrevClose(security.Slot, close);
            map.SetPreviousOpenInterest(security.Slot, previousOi);
        }

        public readonly void OnOpenInterest(in DhanSecurity security, Quantity oi) => map.SetOpenInterest(security.Slot, oi);

        public void OnUnknownSecurity(byte segment, int securityId) => Unknown++;

        public void OnDisconnect(int reason) => Disconnect = reason;
    }
}
