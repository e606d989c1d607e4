namespace MarketFeed.Venues.Finnhub.Emulator;

/// <summary>
/// One symbol of the emulator's universe as Finnhub lists it (symbol, description, display symbol) and the parameters
/// of its simulated market: starting price, price decimals, annual volatility, trade sizes and their decimals.
/// </summary>
internal sealed record FinnhubSymbolSpec(
    string Symbol,
    FinnhubSymbolKind Kind,
    string Description,
    string DisplaySymbol,
    decimal Price,
    int PriceDecimals,
    double AnnualVolatility,
    long MinTradeUnits,
    long MaxTradeUnits,
    int QuantityDecimals);
