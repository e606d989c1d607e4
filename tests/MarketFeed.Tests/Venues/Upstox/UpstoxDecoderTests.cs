using Google.Protobuf;
using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Simulation;
using MarketFeed.Venues.Upstox;
using MarketFeed.Venues.Upstox.Proto;
using OptionGreeks = MarketFeed.Model.OptionGreeks;

namespace MarketFeed.Tests.Venues.Upstox;

/// <summary>
/// The decoder against frames built by the protobuf runtime's generated classes from the published v3 schema (not our
/// own encoder), field for field, and against bytes the runtime itself refuses.
/// </summary>
public class UpstoxDecoderTests
{
    private const string Equity = "NSE_EQ|INE090A01021";
    private const string Call = "NSE_FO|43885";
    private const string Index = "NSE_INDEX|Nifty Bank";
    private static readonly InstrumentId s_equity = new(1), s_call = new(2), s_index = new(3);
    private static readonly DateTime s_received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);

    private readonly UpstoxMarketSessions _sessions = new();
    private readonly UpstoxDecoder _decoder;

    public UpstoxDecoderTests()
    {
        var keys = new UpstoxKeyMap([
            KeyValuePair.Create(Equity, new UpstoxKeyEntry(s_equity, false)),
            KeyValuePair.Create(Call, new UpstoxKeyEntry(s_call, true)),
            KeyValuePair.Create(Index, new UpstoxKeyEntry(s_index, false)),
        ]);
        _decoder = new UpstoxDecoder(() => keys, _sessions);
    }

    [Fact]
    public void A_full_equity_feed_decodes_every_field_the_spec_example_carries()
    {
        var response = new FeedResponse { Type = MarketFeed.Venues.Upstox.Proto.Type.LiveFeed, CurrentTs = 1742373998670 };
        response.Feeds[Equity] = new Feed
        {
            FullFeed = new FullFeed
            {
                MarketFF = new MarketFullFeed
                {
                    Ltpc = new LTPC { Ltp = 1313.7, Ltt = 1742373998000, Ltq = 25, Cp = 1305.0 },
                    MarketLevel = Levels(5, bid: 1313.45, ask: 1313.9),
                    OptionGreeks = new MarketFeed.Venues.Upstox.Proto.OptionGreeks(),
                    MarketOHLC = Ohlc(open: 1306.0, high: 1320.25, low: 1301.1, volume: 7790518),
                    Atp = 1310.68,
                    Vtt = 7790518,
                    Tbq = 359157.0,
                    Tsq = 421241.0,
                },
            },
            RequestMode = RequestMode.FullD5,
        };

        Tick tick = DecodeOne(response);
        Assert.Equal(s_equity, tick.Instrument);
        Assert.Equal((FeedMode.Full, TickSource.Stream, s_received), (tick.Mode, tick.Source, tick.ReceiveTime));
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1742373998000), tick.ExchangeTime);
        Assert.Equal((1313.7m, 25m, 1305.0m), (tick.Ltp.ToDecimal(), tick.Ltq.ToDecimal(), tick.Close.ToDecimal()));
        Assert.Equal((1306.0m, 1320.25m, 1301.1m), (tick.Open.ToDecimal(), tick.High.ToDecimal(), tick.Low.ToDecimal()));
        Assert.Equal((1310.68m, 7790518m), (tick.Atp.ToDecimal(), tick.Volume.ToDecimal()));
        Assert.Equal(TickFlags.CumulativeVolume, tick.Flags & TickFlags.CumulativeVolume);
        Assert.Equal((5, 5), (tick.Depth.BidCount, tick.Depth.AskCount));
        Assert.Equal((1313.45m, 100m), (tick.Bid.ToDecimal(), tick.BidQty.ToDecimal()));
        Assert.Equal((1313.9m, 200m), (tick.Ask.ToDecimal(), tick.AskQty.ToDecimal()));
        Assert.Equal(1313.25m, tick.Depth.Bids[4].Price.ToDecimal());
        Assert.False(tick.Oi.HasValue, "an equity has no open interest: absent, not 0");
        Assert.Null(tick.Greeks);
    }

    [Fact]
    public void Option_greeks_mode_brings_delta_gamma_theta_vega_iv_and_oi_to_the_tick()
    {
        var response = new FeedResponse { Type = MarketFeed.Venues.Upstox.Proto.Type.LiveFeed };
        response.Feeds[Call] = new Feed
        {
            FirstLevelWithGreeks = new FirstLevelWithGreeks
            {
                Ltpc = new LTPC { Ltp = 152.35, Ltt = 1742373998000, Ltq = 75, Cp = 140.1 },
                FirstDepth = new Quote { BidQ = 750, BidP = 152.3, AskQ = 1500, AskP = 152.4 },
                OptionGreeks = new MarketFeed.Venues.Upstox.Proto.OptionGreeks { Delta = 0.5123, Theta = -12.4, Gamma = 0.00071, Vega = 11.85, Rho = 3.2 },
                Vtt = 1_234_500,
                Oi = 4_567_800,
                Iv = 14.2,
            },
            RequestMode = RequestMode.OptionGreeks,
        };

        Tick tick = DecodeOne(response);
        Assert.Equal(FeedMode.Quote, tick.Mode);
        Assert.Equal(new OptionGreeks(0.5123, 0.00071, -12.4, 11.85, 14.2), tick.Greeks);
        Assert.Equal((4_567_800m, 1_234_500m), (tick.Oi.ToDecimal(), tick.Volume.ToDecimal()));
        Assert.Equal((152.3m, 750m, 152.4m, 1500m), (tick.Bid.ToDecimal(), tick.BidQty.ToDecimal(), tick.Ask.ToDecimal(), tick.AskQty.ToDecimal()));
        Assert.True(tick.Depth.IsEmpty);
    }

    [Fact]
    public void An_index_in_full_mode_has_ltpc_and_day_ohlc_and_nothing_else()
    {
        var response = new FeedResponse();
        response.Feeds[Index] = new Feed
        {
            FullFeed = new FullFeed { IndexFF = new IndexFullFeed { Ltpc = new LTPC { Ltp = 51234.55, Ltt = 1742373998000, Cp = 51000.1 }, MarketOHLC = Ohlc(51010.0, 51300.0, 50990.5, 0) } },
            RequestMode = RequestMode.FullD5,
        };

        Tick tick = DecodeOne(response);
        Assert.Equal((51234.55m, 51000.1m, 51010.0m, 51300.0m, 50990.5m), (tick.Ltp.ToDecimal(), tick.Close.ToDecimal(), tick.Open.ToDecimal(), tick.High.ToDecimal(), tick.Low.ToDecimal()));
        Assert.False(tick.Volume.HasValue || tick.Bid.HasValue || tick.Ltq.HasValue);
        Assert.Equal(FeedMode.Full, tick.Mode);
    }

    [Fact]
    public void Fields_proto3_leaves_off_the_wire_keep_their_last_value_instead_of_turning_zero()
    {
        var first = new FeedResponse();
        first.Feeds[Equity] = new Feed { Ltpc = new LTPC { Ltp = 1313.7, Ltt = 1742373998000, Ltq = 25, Cp = 1305.0 } };
        DecodeOne(first);

        // A later update with only a new price: ltq, cp and the time are simply absent.
        var second = new FeedResponse { Type = MarketFeed.Venues.Upstox.Proto.Type.LiveFeed };
        second.Feeds[Equity] = new Feed { Ltpc = new LTPC { Ltp = 1314.0 } };
        Tick tick = DecodeOne(second);
        Assert.Equal((1314.0m, 25m, 1305.0m), (tick.Ltp.ToDecimal(), tick.Ltq.ToDecimal(), tick.Close.ToDecimal()));
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1742373998000), tick.ExchangeTime);
        Assert.Equal(FeedMode.Ltp, tick.Mode);
    }

    [Fact]
    public void Thirty_levels_go_to_the_order_book_as_a_snapshot_and_the_first_five_stay_on_the_tick()
    {
        var response = new FeedResponse();
        response.Feeds[Equity] = new Feed
        {
            FullFeed = new FullFeed { MarketFF = new MarketFullFeed { Ltpc = new LTPC { Ltp = 1313.7 }, MarketLevel = Levels(30, bid: 1313.45, ask: 1313.9) } },
            RequestMode = RequestMode.FullD30,
        };

        var ticks = new List<Tick>();
        var books = new List<BookUpdate>();
        Assert.True(_decoder.Decode(response.ToByteArray(), s_received, ticks, books));
        BookUpdate book = Assert.Single(books);
        try
        {
            Assert.True(book.IsSnapshot);
            Assert.Equal((s_equity, 30, 30), (book.Instrument, book.BidCount, book.AskCount));
            Assert.Equal(1313.45m - (29 * 0.05m), book.Bids[29].Price.ToDecimal());
            Assert.Equal(1313.9m + (29 * 0.05m), book.Asks[29].Price.ToDecimal());
            Assert.Equal(5, Assert.Single(ticks).Depth.BidCount);
        }
        finally
        {
            BookUpdate.Return(book);
        }
    }

    [Fact]
    public void Market_info_sets_each_segments_status_including_the_one_left_off_the_wire()
    {
        var info = new MarketInfo();
        info.SegmentStatus["NSE_EQ"] = MarketStatus.NormalClose;
        info.SegmentStatus["NSE_FO"] = MarketStatus.NormalOpen;
        info.SegmentStatus["MCX_FO"] = MarketStatus.PreOpenStart;
        info.CasMarketStatus["NSE_EQ"] = new StatusInfo { Status = "CLOSED", UpdatedTime = 1742373998000 };
        var response = new FeedResponse { Type = MarketFeed.Venues.Upstox.Proto.Type.MarketInfo, CurrentTs = 1742373998670, MarketInfo = info };

        var ticks = new List<Tick>();
        Assert.True(_decoder.Decode(response.ToByteArray(), s_received, ticks, null));
        Assert.Empty(ticks);
        Assert.Equal(UpstoxSegmentStatus.NormalClose, _sessions.Current["NSE_EQ"]);
        Assert.Equal(UpstoxSegmentStatus.NormalOpen, _sessions.Current["NSE_FO"]);
        Assert.Equal(UpstoxSegmentStatus.PreOpenStart, _sessions.Current["MCX_FO"]);
    }

    [Fact]
    public void An_instrument_key_missing_from_the_instrument_file_is_counted_and_never_guessed()
    {
        var response = new FeedResponse();
        response.Feeds["NSE_EQ|INE000000000"] = new Feed { Ltpc = new LTPC { Ltp = 10 } };
        response.Feeds[Equity] = new Feed { Ltpc = new LTPC { Ltp = 1313.7 } };
        var ticks = new List<Tick>();
        Assert.True(_decoder.Decode(response.ToByteArray(), s_received, ticks, null));
        Assert.Equal(s_equity, Assert.Single(ticks).Instrument);
        Assert.Equal(1, _decoder.UnknownKeys);
    }

    [Fact]
    public void A_frame_from_the_pre_2025_schema_with_cp_as_field_3_never_reads_a_wrong_close()
    {
        // Old LTPC: ltp=1 double, ltt=2 int64, cp=3 double. In v3 field 3 is ltq (varint): the runtime skips it, and so do we.
        var ltpc = new List<byte> { 0x09 };
        ltpc.AddRange(BitConverter.GetBytes(1313.7));
        ltpc.Add(0x19);
        ltpc.AddRange(BitConverter.GetBytes(1305.0));
        byte[] frame = Frame(Equity, [0x0A, (byte)ltpc.Count, .. ltpc]);

        LTPC parsed = FeedResponse.Parser.ParseFrom(frame).Feeds[Equity].Ltpc;
        Assert.Equal((1313.7, 0L, 0.0), (parsed.Ltp, parsed.Ltq, parsed.Cp));
        Tick tick = DecodeOne(frame);
        Assert.Equal(1313.7m, tick.Ltp.ToDecimal());
        Assert.False(tick.Close.HasValue || tick.Ltq.HasValue);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1.5)]
    [InlineData(1.76e16)]
    public void An_impossible_price_rejects_the_whole_frame_and_changes_no_state(double ltp)
    {
        var good = new FeedResponse();
        good.Feeds[Equity] = new Feed { Ltpc = new LTPC { Ltp = 1313.7 } };
        DecodeOne(good);

        var bad = new FeedResponse();
        bad.Feeds[Call] = new Feed { Ltpc = new LTPC { Ltp = 150 } };
        bad.Feeds[Equity] = new Feed { Ltpc = new LTPC { Ltp = ltp } };
        var ticks = new List<Tick>();
        Assert.False(_decoder.Decode(bad.ToByteArray(), s_received, ticks, null));
        Assert.Empty(ticks);

        var next = new FeedResponse();
        next.Feeds[Equity] = new Feed { Ltpc = new LTPC { Ltq = 5 } };
        Assert.Equal(1313.7m, DecodeOne(next).Ltp.ToDecimal());
    }

    [Fact]
    public void Every_cut_of_a_valid_frame_is_accepted_exactly_when_the_protobuf_runtime_parses_it()
    {
        byte[] frame = RichFrame().ToByteArray();
        for (int length = 0; length < frame.Length; length++)
        {
            byte[] cut = frame[..length];
            bool runtime = RuntimeParses(cut);
            var ticks = new List<Tick>();
            var books = new List<BookUpdate>();
            bool ours = new UpstoxDecoder(() => new UpstoxKeyMap([]), new UpstoxMarketSessions()).Decode(cut, s_received, ticks, books);
            Assert.True(runtime == ours, $"cut at {length}: runtime {(runtime ? "parses" : "refuses")}, decoder {(ours ? "accepts" : "rejects")}");
        }
    }

    [Fact]
    public void Whatever_the_protobuf_runtime_refuses_the_decoder_rejects_too()
    {
        byte[] frame = RichFrame().ToByteArray();
        var random = new DeterministicRandom(7UL);
        int refused = 0;
        for (int i = 0; i < 5000; i++)
        {
            byte[] mutated = (byte[])frame.Clone();
            for (int flips = 1 + (int)(random.NextULong() % 4); flips > 0; flips--)
            {
                mutated[(int)(random.NextULong() % (ulong)mutated.Length)] = (byte)random.NextULong();
            }

            if (!RuntimeParses(mutated))
            {
                refused++;
                Assert.False(new UpstoxDecoder(() => new UpstoxKeyMap([]), new UpstoxMarketSessions()).Decode(mutated, s_received, [], null), $"accepted bytes the runtime refuses: {Convert.ToHexString(mutated)}");
            }
        }

        Assert.True(refused > 500, $"only {refused} of 5000 mutations were refused by the runtime");
    }

    private static bool RuntimeParses(byte[] bytes)
    {
        try
        {
            FeedResponse.Parser.ParseFrom(bytes);
            return true;
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException)
        {
            // 3.25.1 throws InvalidOperationException ("SkipLastField cannot be called at the end of a stream") for a
            // DoubleValue wrapper (LTPC.iep) cut short: a refusal all the same.
            return false;
        }
    }

    private static FeedResponse RichFrame()
    {
        var response = new FeedResponse { Type = MarketFeed.Venues.Upstox.Proto.Type.LiveFeed, CurrentTs = 1742373998670 };
        response.Feeds[Equity] = new Feed
        {
            FullFeed = new FullFeed { MarketFF = new MarketFullFeed { Ltpc = new LTPC { Ltp = 1313.7, Ltt = 1742373998000, Ltq = 25, Cp = 1305, Iep = 1313.5 }, MarketLevel = Levels(5, 1313.45, 1313.9), MarketOHLC = Ohlc(1306, 1320.25, 1301.1, 7790518), Atp = 1310.68, Vtt = 7790518 } },
            RequestMode = RequestMode.FullD5,
        };
        response.Feeds[Call] = new Feed
        {
            FirstLevelWithGreeks = new FirstLevelWithGreeks { Ltpc = new LTPC { Ltp = 152.35 }, FirstDepth = new Quote { BidQ = 75, BidP = 152.3, AskQ = 75, AskP = 152.4 }, OptionGreeks = new MarketFeed.Venues.Upstox.Proto.OptionGreeks { Delta = 0.5, Gamma = 0.001, Theta = -12, Vega = 11 }, Oi = 1000, Iv = 14.2 },
            RequestMode = RequestMode.OptionGreeks,
        };
        var info = new MarketInfo();
        info.SegmentStatus["NSE_EQ"] = MarketStatus.NormalOpen;
        info.CasMarketStatus["NSE_EQ"] = new StatusInfo { Status = "OPEN", UpdatedTime = 1 };
        response.MarketInfo = info;
        return response;
    }

    private static MarketLevel Levels(int count, double bid, double ask)
    {
        var level = new MarketLevel();
        for (int i = 0; i < count; i++)
        {
            level.BidAskQuote.Add(new Quote { BidQ = 100 * (i + 1), BidP = Math.Round(bid - (0.05 * i), 2), AskQ = 200 * (i + 1), AskP = Math.Round(ask + (0.05 * i), 2) });
        }

        return level;
    }

    private static MarketOHLC Ohlc(double open, double high, double low, long volume)
    {
        var ohlc = new MarketOHLC();
        ohlc.Ohlc.Add(new OHLC { Interval = "1d", Open = open, High = high, Low = low, Close = high, Vol = volume, Ts = 1742322600000 });
        ohlc.Ohlc.Add(new OHLC { Interval = "I1", Open = 1, High = 2, Low = 0.5, Close = 1.5, Vol = 10, Ts = 1742373960000 });
        return ohlc;
    }

    /// <summary>A FeedResponse with one feeds entry: key (1) and the given Feed message bytes (2).</summary>
    private static byte[] Frame(string key, byte[] feed)
    {
        byte[] keyBytes = System.Text.Encoding.UTF8.GetBytes(key);
        byte[] entry = [0x0A, (byte)keyBytes.Length, .. keyBytes, 0x12, (byte)feed.Length, .. feed];
        return [0x12, (byte)entry.Length, .. entry];
    }

    private Tick DecodeOne(FeedResponse response) => DecodeOne(response.ToByteArray());

    private Tick DecodeOne(byte[] frame)
    {
        var ticks = new List<Tick>();
        Assert.True(_decoder.Decode(frame, s_received, ticks, null));
        return Assert.Single(ticks);
    }
}
