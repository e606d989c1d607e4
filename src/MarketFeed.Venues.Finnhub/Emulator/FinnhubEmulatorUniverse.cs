namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>The emulator's symbols: US stocks (IEX-sized prints with condition codes), Binance crypto pairs (fractional sizes) and OANDA forex (price updates, volume 0).</summary>
internal static class FinnhubEmulatorUniverse
{
    public const string StockExchange = "US";
    public const string CryptoExchange = "binance";
    public const string ForexExchange = "oanda";

    public static IReadOnlyList<FinnhubSymbolSpec> Build() =>
    [
        new("AAPL", FinnhubSymbolKind.Stock, "APPLE INC", "AAPL", 230m, 2, 0.25, 1, 400, 0),
        new("MSFT", FinnhubSymbolKind.Stock, "MICROSOFT CORP", "MSFT", 420m, 2, 0.22, 1, 300, 0),
        new("TSLA", FinnhubSymbolKind.Stock, "TESLA INC", "TSLA", 250m, 2, 0.55, 1, 500, 0),
        new("NVDA", FinnhubSymbolKind.Stock, "NVIDIA CORP", "NVDA", 130m, 2, 0.45, 1, 800, 0),
        new("BRK.B", FinnhubSymbolKind.Stock, "BERKSHIRE HATHAWAY INC-CL B", "BRK.B", 460m, 2, 0.18, 1, 100, 0),
        new("BINANCE:BTCUSDT", FinnhubSymbolKind.Crypto, "Binance BTCUSDT", "BTC/USDT", 90_000m, 2, 0.55, 1, 2_000_000, 8),
        new("BINANCE:ETHUSDT", FinnhubSymbolKind.Crypto, "Binance ETHUSDT", "ETH/USDT", 3_000m, 2, 0.70, 100, 200_000_000, 8),
        new("OANDA:EUR_USD", FinnhubSymbolKind.Forex, "Oanda EUR/USD", "EUR/USD", 1.08m, 5, 0.07, 0, 0, 0),
        new("OANDA:USD_JPY", FinnhubSymbolKind.Forex, "Oanda USD/JPY", "USD/JPY", 150m, 3, 0.09, 0, 0, 0),
    ];
}
