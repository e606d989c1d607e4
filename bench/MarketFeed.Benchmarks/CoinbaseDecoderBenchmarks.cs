using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Coinbase;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Decoding one Coinbase <c>market_trades</c> message (one trade), one <c>ticker</c> and one <c>l2_data</c> update
/// (10 levels a side), each against a baseline that only walks the same bytes with a bare <see cref="Utf8JsonReader"/>,
/// touching every token. Target: 0 B per message.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CoinbaseDecoderBenchmarks
{
    private const string TradeFrame = """{"channel":"market_trades","client_id":"","timestamp":"2026-11-22T09:00:00.123456789Z","sequence_num":1234,"events":[{"type":"update","trades":[{"trade_id":"712345678","product_id":"BTC-USD","price":"91234.56","size":"0.00125","side":"BUY","time":"2026-11-22T09:00:00.120000000Z"}]}]}""";

    private const string TickerFrame = """{"channel":"ticker","client_id":"","timestamp":"2026-11-22T09:00:00.123456789Z","sequence_num":1235,"events":[{"type":"update","tickers":[{"type":"ticker","product_id":"BTC-USD","price":"91234.56","volume_24_h":"16038.28770938","low_24_h":"89835.29","high_24_h":"92011.18","low_52_w":"15460","high_52_w":"108240","price_percent_chg_24_h":"-1.15775596190603","best_bid":"91234.55","best_bid_quantity":"0.21","best_ask":"91234.56","best_ask_quantity":"0.07770938"}]}]}""";

    private readonly DateTime _received = new(2026, 11, 22, 9, 0, 0, DateTimeKind.Utc);
    private readonly StreamEvents _events = new();
    private byte[] _trade = null!;
    private byte[] _ticker = null!;
    private byte[] _level2 = null!;
    private CoinbaseProductMap _products = null!;

    /// <summary>An <c>l2_data</c> update of 10 bid and 10 offer changes (a third of the offers removed), as Coinbase writes it.</summary>
    public static string Level2Frame(long sequence, int shift = 0)
    {
        var frame = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $$"""{"channel":"l2_data","client_id":"","timestamp":"2026-11-22T09:00:00.123456789Z","sequence_num":{{sequence}},"events":[{"type":"update","product_id":"BTC-USD","updates":["""));
        for (int i = 0; i < 20; i++)
        {
            bool bid = i < 10;
            int level = (i % 10) + shift;
            decimal price = bid ? 91234.56m - (level * 0.01m) : 91234.57m + (level * 0.01m);
            decimal size = !bid && i % 3 == 0 ? 0m : 0.125m * ((i % 10) + 1);
            frame.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$"""{"side":"{{(bid ? "bid" : "offer")}}","event_time":"2026-11-22T09:00:00.12000000Z","price_level":"{{price}}","new_quantity":"{{size}}"}""");
        }

        return frame.Append("]}]}").ToString();
    }

    [GlobalSetup]
    public void Setup()
    {
        _trade = Encoding.UTF8.GetBytes(TradeFrame);
        _ticker = Encoding.UTF8.GetBytes(TickerFrame);
        _level2 = Encoding.UTF8.GetBytes(Level2Frame(1236));
        _products = new CoinbaseProductMap([new("BTC-USD", new InstrumentId(1)), new("ETH-USD", new InstrumentId(2)), new("SOL-USD", new InstrumentId(3))]);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("trade")]
    public long WalkTradeTokens() => Walk(_trade);

    [Benchmark, BenchmarkCategory("trade")]
    public long DecodeTrade()
    {
        CoinbaseDecoder.Decode(_trade, _products, _received, _events);
        long ltp = _events.Ticks[0].Ltp.Raw;
        _events.Clear();
        return ltp;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ticker")]
    public long WalkTickerTokens() => Walk(_ticker);

    [Benchmark, BenchmarkCategory("ticker")]
    public long DecodeTicker()
    {
        CoinbaseDecoder.Decode(_ticker, _products, _received, _events);
        long bid = _events.Ticks[0].Bid.Raw;
        _events.Clear();
        return bid;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("level2")]
    public long WalkLevel2Tokens() => Walk(_level2);

    [Benchmark, BenchmarkCategory("level2")]
    public int DecodeLevel2()
    {
        CoinbaseDecoder.Decode(_level2, _products, _received, _events);
        int levels = _events.Books[0].BidCount;
        _events.Discard();
        return levels;
    }

    private static long Walk(byte[] frame)
    {
        var reader = new Utf8JsonReader(frame);
        long sum = 0;
        while (reader.Read())
        {
            sum += (int)reader.TokenType;
            if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String or JsonTokenType.Number)
            {
                sum += reader.ValueSpan.Length;
            }
        }

        return sum;
    }
}
