using MarketFeed.Model;
using MarketFeed.Simulation;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The emulator's symbols, with Binance's tick and lot sizes. BTCUSDT and ETHUSDT start from the simulator universe's
/// prices (so every MarketFeed simulation agrees on them); the others from typical prices.
/// </summary>
internal static class BinanceEmulatorUniverse
{
    public static IReadOnlyList<BinanceSymbolSpec> Build(DateOnly today)
    {
        Dictionary<string, decimal> simulated = SimulatorUniverse.Build("binance-emulator", today, aroundTheClock: true)
            .Where(s => s.Definition.Exchange == "BINANCE")
            .ToDictionary(s => s.Definition.TradingSymbol, s => s.BasePrice, StringComparer.Ordinal);
        decimal PriceOf(string symbol, decimal fallback) => simulated.GetValueOrDefault(symbol, fallback);

        return
        [
            Spec("BTCUSDT", "BTC", PriceOf("BTCUSDT", 90_000m), 0.01m, 0.00001m, 0.03, 1, 20_000, 300_000, 0.25, new DateTime(2017, 8, 17)),
            Spec("ETHUSDT", "ETH", PriceOf("ETHUSDT", 3_000m), 0.01m, 0.0001m, 0.04, 1, 20_000, 300_000, 4.5, new DateTime(2017, 8, 17)),
            Spec("BNBUSDT", "BNB", 600m, 0.01m, 0.001m, 0.04, 1, 10_000, 200_000, 1.2, new DateTime(2017, 11, 6)),
            Spec("SOLUSDT", "SOL", 150m, 0.01m, 0.001m, 0.05, 1, 100_000, 1_000_000, 40, new DateTime(2020, 8, 11)),
            Spec("XRPUSDT", "XRP", 2.2m, 0.0001m, 0.1m, 0.05, 10, 50_000, 500_000, 2_000, new DateTime(2018, 5, 4)),
        ];
    }

    private static BinanceSymbolSpec Spec(string symbol, string baseAsset, decimal price, decimal tick, decimal step, double dailyVolatility,
        long minTradeSteps, long maxTradeSteps, long maxLevelSteps, double volumePerSecond, DateTime listed) =>
        new(symbol, baseAsset, "USDT", price, Price.FromDecimal(tick), Quantity.FromDecimal(step), dailyVolatility,
            minTradeSteps, maxTradeSteps, maxLevelSteps, volumePerSecond, DateTime.SpecifyKind(listed, DateTimeKind.Utc));
}
