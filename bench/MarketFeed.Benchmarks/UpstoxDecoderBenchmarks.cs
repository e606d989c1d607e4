using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using MarketFeed.Model;
using MarketFeed.Venues.Upstox;
using MarketFeed.Venues.Upstox.Proto;

namespace MarketFeed.Benchmarks;

/// <summary>
/// One Upstox v3 <c>full</c> frame (live_feed, 100 equities, each with LTPC, five depth levels, an empty optionGreeks,
/// the 1d and I1 candles, atp, vtt, tbq, tsq) built by the protobuf runtime's generated classes. Baseline: parsing it
/// with the generated <c>FeedResponse.Parser</c> only (an object graph, no normalizing). Figures are per message (one
/// instrument's feed): the frame's time divided by 100.
/// </summary>
[MemoryDiagnoser]
public class UpstoxDecoderBenchmarks
{
    private const int Instruments = 100;
    private readonly DateTime _received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
    private readonly List<Tick> _ticks = new(Instruments);
    private byte[] _frame = null!;
    private UpstoxDecoder _decoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var response = new FeedResponse { Type = MarketFeed.Venues.Upstox.Proto.Type.LiveFeed, CurrentTs = 1742373998670 };
        var keys = new List<KeyValuePair<string, UpstoxKeyEntry>>();
        for (int i = 0; i < Instruments; i++)
        {
            string key = $"NSE_EQ|INE{i:D6}01";
            keys.Add(KeyValuePair.Create(key, new UpstoxKeyEntry(new InstrumentId(i + 1), false)));
            double ltp = 1000 + (i * 7.35);
            var level = new MarketLevel();
            for (int l = 0; l < 5; l++)
            {
                level.BidAskQuote.Add(new Quote { BidQ = 100 + l, BidP = Math.Round(ltp - (0.05 * (l + 1)), 2), AskQ = 200 + l, AskP = Math.Round(ltp + (0.05 * (l + 1)), 2) });
            }

            var ohlc = new MarketOHLC();
            ohlc.Ohlc.Add(new OHLC { Interval = "1d", Open = ltp - 5, High = ltp + 10, Low = ltp - 12, Close = ltp, Vol = 7_790_518, Ts = 1742322600000 });
            ohlc.Ohlc.Add(new OHLC { Interval = "I1", Open = ltp - 1, High = ltp + 1, Low = ltp - 2, Close = ltp, Vol = 12_345, Ts = 1742373960000 });
            response.Feeds[key] = new Feed
            {
                FullFeed = new FullFeed
                {
                    MarketFF = new MarketFullFeed
                    {
                        Ltpc = new LTPC { Ltp = ltp, Ltt = 1742373998000 + i, Ltq = 25, Cp = ltp - 8.5 },
                        MarketLevel = level,
                        OptionGreeks = new MarketFeed.Venues.Upstox.Proto.OptionGreeks(),
                        MarketOHLC = ohlc,
                        Atp = ltp - 1.25,
                        Vtt = 7_790_518,
                        Tbq = 359_157,
                        Tsq = 421_241,
                    },
                },
                RequestMode = RequestMode.FullD5,
            };
        }

        _frame = response.ToByteArray();
        var map = new UpstoxKeyMap(keys);
        _decoder = new UpstoxDecoder(() => map, new UpstoxMarketSessions());

        // Warm the merged state, as on a live connection after its initial_feed.
        Decode();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Instruments)]
    public int ParseWithGeneratedCode() => FeedResponse.Parser.ParseFrom(_frame).Feeds.Count;

    [Benchmark(OperationsPerInvoke = Instruments)]
    public long Decode()
    {
        _decoder.Decode(_frame, _received, _ticks, null);
        long last = _ticks[^1].Ltp.Raw;
        _ticks.Clear();
        return last;
    }
}
