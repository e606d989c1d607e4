using System.Text;
using MarketFeed.Emulators.Fuzzing;

namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// Kraken's part in fuzzing: valid frames of the fuzz targets (a trade or a ticker, as the pair stands) for the shared
/// <see cref="FrameFuzzer"/> to damage, what Kraken's framing promises (every text frame is one JSON object; no binary
/// frames), and the guard that refuses a fuzzed frame naming a pair that is not a target. Targets are v2 symbols.
/// </summary>
internal sealed class KrakenFuzzFrames(KrakenEmulatorMarket market)
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

    /// <summary>A valid frame of one of <paramref name="targets"/> (sorted, so a seed replays); binary frames carry the same JSON.</summary>
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<string> targets, bool text, DateTime now)
    {
        string symbol = targets[fuzzer.Choose(targets.Count)];
        KrakenPairSpec spec = market.Spec(symbol)!;
        ((long, long) bid, (long, long) ask, long last, long quantity, long nextTradeId) = market.Latest(symbol);
        string json = fuzzer.Choose(2) == 0
            ? KrakenJson.Trades(spec, [new KrakenTrade(nextTradeId - 1, last, quantity, fuzzer.Choose(2) == 0, now)], snapshot: false)
            : KrakenJson.Ticker(spec, bid, ask, last, snapshot: false, now);
        return text ? FuzzInput.TextFrame(json) : new FuzzInput(Encoding.UTF8.GetBytes(json), false, []);
    }

    private FuzzProfile Profile(FuzzSettings settings)
    {
        string[] protectedSymbols = [.. market.Specs.Select(s => s.Symbol).Where(s => !settings.IsTarget(s))];
        return new FuzzProfile
        {
            TextIsJsonObject = true,

            // Kraken's client takes symbols only unescaped and exactly: any mention of a protected pair could reach it.
            NamesProtected = (bytes, _) =>
            {
                string text = Encoding.UTF8.GetString(bytes);
                return protectedSymbols.Any(symbol => text.Contains(symbol, StringComparison.OrdinalIgnoreCase));
            },
        };
    }
}
