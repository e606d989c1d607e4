using System.Diagnostics;
using System.Globalization;

namespace MarketFeed.Benchmarks;

/// <summary>
/// `decoder-ratio [seconds]`: each decoder, after a 5 s warm-up, beside its baseline, measured in alternating batches of 100 calls on the same
/// thread for the given time, so both sides see the same machine from one millisecond to the next. On a shared,
/// busy machine that is a steadier ratio than two BenchmarkDotNet cases measured seconds apart: it reports the ratio
/// of the fastest batches (the least disturbed) and the median of the per-pair ratios; the two agree when the run is
/// sound. BenchmarkDotNet's figures (and its 0 B allocation check) remain the reference on a quiet machine.
/// </summary>
internal static class DecoderRatioRun
{
    private const int BatchCalls = 100;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static void Run(double seconds)
    {
        var dhan = new DhanDecoderBenchmarks();
        dhan.Setup();
        var kite = new KiteDecoderBenchmarks();
        kite.Setup();
        Report("Dhan full packets vs read-every-field", () => dhan.ReadEveryField(), () => dhan.DecodeFullPackets(), perCall: DhanDecoderBenchmarks.PacketsPerFrame, seconds);
        Report("Kite full packets vs read-every-int32", () => kite.ReadEveryInt32(), () => kite.DecodeFullPackets(), perCall: KiteDecoderBenchmarks.PacketsPerFrame, seconds);
        var finnhub = new FinnhubDecoderBenchmarks();
        finnhub.Setup();
        Report("Finnhub one-trade frame vs token walk", () => finnhub.WalkOneTradeTokens(), () => finnhub.DecodeOneTrade(), perCall: 1, seconds);
        Report("Finnhub nine-trade frame vs token walk", () => finnhub.WalkNineTradesTokens(), () => finnhub.DecodeNineTrades(), perCall: 1, seconds);
        var coinbase = new CoinbaseDecoderBenchmarks();
        coinbase.Setup();
        Report("Coinbase market_trades vs token walk", () => coinbase.WalkTradeTokens(), () => coinbase.DecodeTrade(), perCall: 1, seconds);
        Report("Coinbase ticker vs token walk", () => coinbase.WalkTickerTokens(), () => coinbase.DecodeTicker(), perCall: 1, seconds);
        Report("Coinbase l2_data 10+10 vs token walk", () => coinbase.WalkLevel2Tokens(), () => coinbase.DecodeLevel2(), perCall: 1, seconds);
        var coinbaseBook = new CoinbaseBookBenchmarks();
        coinbaseBook.Setup();
        Report("Coinbase level2 book apply vs reading the diff", () => coinbaseBook.ReadTheDiff(), () => (double)coinbaseBook.ApplyTheDiff(), perCall: 1, seconds);
        var kraken = new KrakenDecoderBenchmarks();
        kraken.Setup();
        var checksum = new KrakenChecksumBenchmarks();
        checksum.Setup();
        Report("Kraken trade vs token walk", () => kraken.WalkTradeTokens(), () => kraken.DecodeTrade(), perCall: 1, seconds);
        Report("Kraken 10+10 book update vs token walk", () => kraken.WalkBookTokens(), () => kraken.DecodeBookUpdate(), perCall: 1, seconds);
        Report("Kraken book apply + checksum vs the apply alone", () => (double)checksum.ApplyTheUpdate(), () => checksum.ApplyTheUpdateAndChecksum(), perCall: 1, seconds);
    }

    private static void Report(string name, Func<double> baseline, Func<double> decoder, int perCall, double seconds)
    {
        // Warm up first: tiered compilation promotes the hot loops to optimized code on a background thread, which a
        // busy machine can starve for seconds; measuring before it has run would time unoptimized code.
        double sink = 0;
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < WarmUp)
        {
            sink += baseline() + decoder();
        }

        var ratios = new List<double>();
        double fastestBaseline = double.MaxValue;
        double fastestDecoder = double.MaxValue;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < BatchCalls; i++)
            {
                sink += baseline();
            }

            long middle = Stopwatch.GetTimestamp();
            for (int i = 0; i < BatchCalls; i++)
            {
                sink += decoder();
            }

            long end = Stopwatch.GetTimestamp();
            double baselineNs = Stopwatch.GetElapsedTime(start, middle).TotalNanoseconds / (BatchCalls * perCall);
            double decoderNs = Stopwatch.GetElapsedTime(middle, end).TotalNanoseconds / (BatchCalls * perCall);
            fastestBaseline = Math.Min(fastestBaseline, baselineNs);
            fastestDecoder = Math.Min(fastestDecoder, decoderNs);
            ratios.Add(decoderNs / baselineNs);
        }

        ratios.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: fastest {fastestDecoder:F1} ns vs {fastestBaseline:F1} ns per packet = {fastestDecoder / fastestBaseline:F2}x; median pair ratio {ratios[ratios.Count / 2]:F2}x ({ratios.Count} pairs)"));
        GC.KeepAlive(sink);
    }
}
