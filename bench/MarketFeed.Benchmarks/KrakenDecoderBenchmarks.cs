using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Kraken;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Decoding one Kraken v2 trade message (one trade) and one book update with 10 + 10 levels, each against a baseline
/// that only walks the same bytes with a bare <see cref="Utf8JsonReader"/>, touching every token. Target: 0 B per
/// message.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class KrakenDecoderBenchmarks
{
    private const string TradeFrame = """{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"buy","price":91234.5,"qty":0.00125000,"ord_type":"market","trade_id":81234567,"timestamp":"2026-11-20T04:00:00.123456Z"}]}""";

    private readonly DateTime _received = new(2026, 11, 20, 4, 0, 0, DateTimeKind.Utc);
    private readonly StreamEvents _events = new();
    private byte[] _trade = null!;
    private byte[] _book = null!;
    private KrakenSymbolMap _symbols = null!;

    [GlobalSetup]
    public void Setup()
    {
        _trade = Encoding.UTF8.GetBytes(TradeFrame);
        var book = new StringBuilder("""{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[""");
        for (int i = 0; i < 10; i++)
        {
            book.Append(i == 0 ? "" : ",").Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"price\":{91234.5m - (i * 0.1m):0.0},\"qty\":{0.125m * (i + 1):0.00000000}}}");
        }

        book.Append("],\"asks\":[");
        for (int i = 0; i < 10; i++)
        {
            book.Append(i == 0 ? "" : ",").Append(System.Globalization.CultureInfo.InvariantCulture, $"{{\"price\":{91234.6m + (i * 0.1m):0.0},\"qty\":{(i % 3 == 0 ? 0m : 0.5m * i):0.00000000}}}");
        }

        _book = Encoding.UTF8.GetBytes(book.Append("],\"checksum\":2425570690,\"timestamp\":\"2026-11-20T04:00:00.123456Z\"}]}").ToString());
        _symbols = new KrakenSymbolMap([new("BTC/USD", new InstrumentId(1)), new("ETH/USD", new InstrumentId(2)), new("SOL/USD", new InstrumentId(3))], 10);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("trade")]
    public long WalkTradeTokens() => Walk(_trade);

    [Benchmark, BenchmarkCategory("trade")]
    public long DecodeTrade()
    {
        KrakenDecoder.Decode(_trade, _symbols, _received, _events);
        long ltp = _events.Ticks[0].Ltp.Raw;
        _events.Clear();
        return ltp;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("book")]
    public long WalkBookTokens() => Walk(_book);

    [Benchmark, BenchmarkCategory("book")]
    public long DecodeBookUpdate()
    {
        KrakenDecoder.Decode(_book, _symbols, _received, _events);
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
