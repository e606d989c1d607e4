using MarketFeed.Model;

namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// One spot symbol of the emulator's exchange: its assets and filters as exchangeInfo shows them, and the parameters
/// of its simulated market (volatility, trade and resting order sizes in lot steps, historical volume, listing day).
/// </summary>
internal sealed record BinanceSymbolSpec(
    string Symbol,
    string BaseAsset,
    string QuoteAsset,
    decimal Price,
    Price TickSize,
    Quantity StepSize,
    double DailyVolatility,
    long MinTradeSteps,
    long MaxTradeSteps,
    long MaxLevelSteps,
    double VolumePerSecond,
    DateTime ListedUtc)
{
    /// <summary>The symbol as stream names spell it: <c>btcusdt</c>.</summary>
    public string StreamSymbol { get; } = Symbol.ToLowerInvariant();

    /// <summary>Decimals of the lot step (5 for 0.00001).</summary>
    public int QuantityDecimals
    {
        get
        {
            int decimals = 8;
            for (long raw = StepSize.Raw; raw % 10 == 0 && decimals > 0; raw /= 10)
            {
                decimals--;
            }

            return decimals;
        }
    }

    /// <summary>Log-price standard deviation per √second.</summary>
    public double VolatilityPerSqrtSecond => DailyVolatility / Math.Sqrt(86_400);

    /// <summary>Mean size of one trade in base units: trade sizes are skewed small (steps drawn as min + range·u³).</summary>
    public double MeanTradeQuantity => StepSize.ToDouble() * (MinTradeSteps + ((MaxTradeSteps - MinTradeSteps) / 4.0));
}
