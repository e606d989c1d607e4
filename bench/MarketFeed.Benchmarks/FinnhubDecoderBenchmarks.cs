using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Finnhub;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Decoding Finnhub trade frames — one trade (the documented crypto sample) and a batch of nine trades of two US
/// stocks with condition codes, as Finnhub sends them — each against a baseline that only walks the same bytes with a
/// bare <see cref="Utf8JsonReader"/>, touching every token. Target: 0 B per message.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FinnhubDecoderBenchmarks
{
    private const string OneTrade = """{"data":[{"p":7296.89,"s":"BINANCE:BTCUSDT","t":1575526691134,"v":0.011467}],"type":"trade"}""";

    private readonly DateTime _received = new(2026, 11, 22, 15, 0, 0, DateTimeKind.Utc);
    private readonly StreamEvents _events = new();
    private byte[] _one = null!;
    private byte[] _batch = null!;
    private FinnhubSymbolMap _symbols = null!;

    [GlobalSetup]
    public void Setup()
    {
        _one = Encoding.UTF8.GetBytes(OneTrade);
        var batch = new StringBuilder("{\"data\":[");
        for (int i = 0; i < 9; i++)
        {
            string symbol = i % 3 == 2 ? "AAPL" : "TSLA";
            batch.Append(i == 0 ? "" : ",")
                .Append(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"c\":[\"1\",\"8\",\"24\",\"12\"],\"p\":{122.1m - (i * 0.01m)},\"s\":\"{symbol}\",\"t\":{1672348887195 + i},\"v\":{1 + (i * 3)}}}"));
        }

        _batch = Encoding.UTF8.GetBytes(batch.Append("],\"type\":\"trade\"}").ToString());
        _symbols = new FinnhubSymbolMap([new("BINANCE:BTCUSDT", new InstrumentId(1)), new("AAPL", new InstrumentId(2)), new("TSLA", new InstrumentId(3))]);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("one")]
    public long WalkOneTradeTokens() => Walk(_one);

    [Benchmark, BenchmarkCategory("one")]
    public long DecodeOneTrade()
    {
        FinnhubDecoder.Decode(_one, _symbols, _received, _events);
        long ltp = _events.Ticks[0].Ltp.Raw;
        _events.Clear();
        return ltp;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("nine")]
    public long WalkNineTradesTokens() => Walk(_batch);

    [Benchmark, BenchmarkCategory("nine")]
    public long DecodeNineTrades()
    {
        FinnhubDecoder.Decode(_batch, _symbols, _received, _events);
        long last = _events.Ticks[^1].Ltp.Raw;
        _events.Clear();
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
