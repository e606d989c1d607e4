using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// One spot product of the emulator's exchange as the products list shows it (increments), and the parameters of its
/// simulated market: daily volatility, trade and resting sizes in base increments.
/// </summary>
internal sealed record CoinbaseProductSpec(
    string ProductId,
    string BaseCurrency,
    string QuoteCurrency,
    decimal Price,
    Price QuoteIncrement,
    Quantity BaseIncrement,
    double DailyVolatility,
    long MinTradeSteps,
    long MaxTradeSteps,
    long MaxLevelSteps)
{
    /// <summary>The emulator's products. BTC-USD and ETH-USD start near the simulator universe's prices.</summary>
    public static IReadOnlyList<CoinbaseProductSpec> Universe { get; } =
    [
        new("BTC-USD", "BTC", "USD", 90_000m, Model.Price.FromDecimal(0.01m), Quantity.FromDecimal(0.00000001m), 0.03, 10_000, 2_000_000, 50_000_000),
        new("ETH-USD", "ETH", "USD", 3_000m, Model.Price.FromDecimal(0.01m), Quantity.FromDecimal(0.00000001m), 0.04, 100_000, 50_000_000, 500_000_000),
        new("SOL-USD", "SOL", "USD", 150m, Model.Price.FromDecimal(0.01m), Quantity.FromDecimal(0.00000001m), 0.05, 1_000_000, 500_000_000, 5_000_000_000),
        new("XRP-USD", "XRP", "USD", 2.2m, Model.Price.FromDecimal(0.0001m), Quantity.FromDecimal(0.000001m), 0.05, 1_000_000, 100_000_000, 1_000_000_000),
        new("DOGE-USD", "DOGE", "USD", 0.35m, Model.Price.FromDecimal(0.00001m), Quantity.FromDecimal(0.1m), 0.06, 10, 50_000, 500_000),
    ];

    /// <summary>Decimals of the base increment (8 for 0.00000001).</summary>
    public int QuantityDecimals
    {
        get
        {
            int decimals = 8;
            for (long raw = BaseIncrement.Raw; raw % 10 == 0 && decimals > 0; raw /= 10)
            {
                decimals--;
            }

            return decimals;
        }
    }
}
