using System.Text;
using MarketFeed.Emulators.Fuzzing;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// Coinbase's part in fuzzing: valid messages of the fuzz targets (a trades update, a ticker, an empty level2 update)
/// for the shared <see cref="FrameFuzzer"/> to damage, what Coinbase's framing promises (every text frame is one JSON
/// object; no binary frames), and the guard that refuses a fuzzed frame naming a product that is not a target. Fuzzed
/// frames repeat the connection's last <c>sequence_num</c>: they are extra frames, not messages Coinbase numbered.
/// </summary>
internal sealed class CoinbaseFuzzFrames(CoinbaseEmulatorMarket market)
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

    /// <summary>A valid message of one of <paramref name="targets"/> (sorted, so a seed replays); binary frames carry the same JSON.</summary>
    public FuzzInput Valid(FrameFuzzer fuzzer, IReadOnlyList<string> targets, bool text, long sequence, DateTime now)
    {
        string product = targets[fuzzer.Choose(targets.Count)];
        (CoinbaseTrade? trade, CoinbaseTickerState ticker) = market.Latest(product);
        string json = fuzzer.Choose(3) switch
        {
            0 => CoinbaseJson.Envelope("market_trades", now, sequence, CoinbaseJson.Trades(false, product, [trade ?? new CoinbaseTrade(1, ticker.Price, 1, "BUY", now)])),
            1 => CoinbaseJson.Envelope("ticker", now, sequence, CoinbaseJson.Ticker(false, product, ticker)),
            _ => CoinbaseJson.Envelope("l2_data", now, sequence, CoinbaseJson.Level2(false, product, now, [])),
        };
        return text ? FuzzInput.TextFrame(json) : new FuzzInput(Encoding.UTF8.GetBytes(json), false, []);
    }

    private FuzzProfile Profile(FuzzSettings settings)
    {
        string[] protectedProducts = [.. market.Specs.Select(s => s.ProductId).Where(p => !settings.IsTarget(p))];
        return new FuzzProfile
        {
            TextIsJsonObject = true,

            // Read as a JSON client reads it: any mention of a protected product could reach its book or quote.
            NamesProtected = (bytes, _) =>
            {
                string text = Encoding.UTF8.GetString(bytes);
                return protectedProducts.Any(product => text.Contains(product, StringComparison.OrdinalIgnoreCase));
            },
        };
    }
}
