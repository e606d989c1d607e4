using System.Text;
using MarketFeed.Emulators.Fuzzing;
using MarketFeed.Model;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// Binance's part in fuzzing: valid frames of the fuzz targets (a trade, a bookTicker or a stale depthUpdate, raw or
/// combined as the connection reads them) for the shared <see cref="FrameFuzzer"/> to damage, what Binance's framing
/// promises (every text frame is one JSON object; no binary frames, no length fields), and the guard that refuses a
/// fuzzed frame naming a symbol that is not a target. Fuzz target keys are symbols, upper case (<c>BTCUSDT</c>).
/// </summary>
internal sealed class BinanceFuzzFrames(BinanceEmulatorMarket market)
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
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<string> targets, bool text, bool combined, DateTime now)
    {
        string symbol = targets[fuzzer.Choose(targets.Count)];
        string stream = symbol.ToLowerInvariant();
        (long tradeId, long price, long quantity, long updateId, BinanceLevel bid, BinanceLevel ask) = market.Latest(symbol);
        (string kind, Func<bool, string> payload) = fuzzer.Choose(3) switch
        {
            0 => ("@trade", BinanceEventJson.Trade(symbol, tradeId, Price.FromRaw(price), Quantity.FromRaw(quantity), now, now, fuzzer.Choose(2) == 0)),
            1 => ("@bookTicker", BinanceEventJson.BookTicker(symbol, updateId, bid, ask)),

            // Ids already covered: a client in sync ignores it, whatever its levels say.
            _ => ("@depth@100ms", BinanceEventJson.DepthUpdate(symbol, now, new BinanceDiff(updateId - 1, updateId - 1, [bid], [ask]))),
        };
        string json = new BinanceStreamEvent(stream + kind, symbol, payload).Text(combined, microseconds: false);
        return text ? FuzzInput.TextFrame(json) : new FuzzInput(Encoding.UTF8.GetBytes(json), false, []);
    }

    private FuzzProfile Profile(FuzzSettings settings)
    {
        string[] protectedSymbols = [.. market.Specs.Select(s => s.Symbol).Where(s => !settings.IsTarget(s))];
        return new FuzzProfile
        {
            TextIsJsonObject = true,

            // Read as a JSON client reads it: any mention of a protected symbol, in either case, could reach its book or quote.
            NamesProtected = (bytes, _) =>
            {
                string text = Encoding.UTF8.GetString(bytes);
                return protectedSymbols.Any(symbol => text.Contains(symbol, StringComparison.OrdinalIgnoreCase));
            },
        };
    }
}
