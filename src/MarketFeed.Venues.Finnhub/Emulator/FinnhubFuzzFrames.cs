using System.Text;
using MarketFeed.Emulators.Fuzzing;

namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// Finnhub's part in fuzzing: valid trade frames of the fuzz targets (one to three trades at their last price) for the
/// shared <see cref="FrameFuzzer"/> to damage, what Finnhub's framing promises (every text frame is one JSON object;
/// no binary frames, no length fields), and the guard that refuses a fuzzed frame naming a symbol that is not a
/// target. Fuzz target keys are Finnhub symbols (<c>NVDA</c>, <c>BINANCE:ETHUSDT</c>).
/// </summary>
internal sealed class FinnhubFuzzFrames(FinnhubEmulatorMarket market)
{
    private FrameFuzzer? _fuzzer;
    private int _run = -1;

    /// <summary>The generator of this fuzz run: a fresh one, from the seed, whenever <c>fuzz=SEED</c> was given again.</summary>
    public FrameFuzzer For(FuzzSettings settings)
    {
        if (_fuzzer is null || _run != settings.Run)
        {
            _fuzzer = new FrameFuzzer(settings.Seed, Profile(settings));
            _run = settings.Run;
        }

        return _fuzzer;
    }

    /// <summary>A valid trade frame of <paramref name="targets"/> (sorted, so a seed replays); binary frames carry the same JSON.</summary>
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<string> targets, bool text, DateTime now)
    {
        long ms = (now.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;
        var trades = new List<FinnhubTrade>();
        for (int i = 0, count = 1 + fuzzer.Choose(3); i < count; i++)
        {
            string symbol = targets[fuzzer.Choose(targets.Count)];
            long price = market.Quote(symbol)?.Last ?? 100_000_000;
            trades.Add(new FinnhubTrade(symbol, price, (1 + fuzzer.Choose(500)) * 100_000_000L, ms + i, fuzzer.Choose(2) == 0 ? ["1", "12"] : null));
        }

        string json = FinnhubJson.Trades(trades);
        return text ? FuzzInput.TextFrame(json) : new FuzzInput(Encoding.UTF8.GetBytes(json), false, []);
    }

    private FuzzProfile Profile(FuzzSettings settings)
    {
        string[] protectedSymbols = [.. market.Specs.Select(s => s.Symbol).Where(s => !settings.IsTarget(s))];
        return new FuzzProfile
        {
            TextIsJsonObject = true,

            // Read as a JSON client reads it: any mention of a protected symbol, in either case, could reach its quote.
            NamesProtected = (bytes, _) =>
            {
                string text = Encoding.UTF8.GetString(bytes);
                return protectedSymbols.Any(symbol => text.Contains(symbol, StringComparison.OrdinalIgnoreCase));
            },
        };
    }
}
