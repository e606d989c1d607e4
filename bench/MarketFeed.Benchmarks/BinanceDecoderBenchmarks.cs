using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Binance;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Decoding one Binance trade frame and one 100 ms depth diff (10 levels a side), each against a baseline that only
/// walks the same bytes with a bare <see cref="Utf8JsonReader"/>, touching every token (the least any JSON decoder
/// must do). Target: 0 B per message and at most 1.5 times the baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class BinanceDecoderBenchmarks
{
    private const string TradeFrame = """{"stream":"btcusdt@trade","data":{"e":"trade","E":1763611200123,"s":"BTCUSDT","t":5214871234,"p":"91234.56000000","q":"0.00125000","T":1763611200122,"m":true,"M":true}}""";

    private readonly DateTime _received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
    private readonly StreamEvents _events = new();
    private byte[] _trade = null!;
    private byte[] _depth = null!;
    private BinanceSymbolMap _symbols = null!;

    [GlobalSetup]
    public void Setup()
    {
        _trade = Encoding.UTF8.GetBytes(TradeFrame);
        var depth = new StringBuilder("""{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1763611200123,"s":"BTCUSDT","U":71234567890,"u":71234567912,"b":[""");
        for (int i = 0; i < 10; i++)
        {
            depth.Append(i == 0 ? "" : ",").Append($"[\"{91234.56m - (i * 0.01m):0.00000000}\",\"{0.125m * (i + 1):0.00000000}\"]");
        }

        depth.Append("],\"a\":[");
        for (int i = 0; i < 10; i++)
        {
            depth.Append(i == 0 ? "" : ",").Append($"[\"{91234.57m + (i * 0.01m):0.00000000}\",\"{(i % 3 == 0 ? 0m : 0.5m * i):0.00000000}\"]");
        }

        _depth = Encoding.UTF8.GetBytes(depth.Append("]}}").ToString());
        _symbols = new BinanceSymbolMap([new("BTCUSDT", new InstrumentId(1)), new("ETHUSDT", new InstrumentId(2)), new("BNBUSDT", new InstrumentId(3))]);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("trade")]
    public long WalkTradeTokens() => Walk(_trade);

    [Benchmark, BenchmarkCategory("trade")]
    public long DecodeTrade()
    {
        BinanceDecoder.Decode(_trade, _symbols, _received, _events);
        long ltp = _events.Ticks[0].Ltp.Raw;
        _events.Clear();
        return ltp;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("depth")]
    public long WalkDepthTokens() => Walk(_depth);

    [Benchmark, BenchmarkCategory("depth")]
    public long DecodeDepthDiff()
    {
        BinanceDecoder.Decode(_depth, _symbols, _received, _events);
        long last = _events.Books[0].LastUpdateId;
        _events.Discard();
        return last;
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
