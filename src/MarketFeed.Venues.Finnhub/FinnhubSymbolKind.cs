namespace MarketFeed.Venues.Finnhub;

/// <summary>Which of Finnhub's symbol endpoints a list comes from; decides the instrument's kind, tick, lot and calendar.</summary>
internal enum FinnhubSymbolKind
{
    /// <summary><c>/stock/symbol</c>: bare tickers (<c>AAPL</c>, <c>BRK.B</c>).</summary>
    Stock,

    /// <summary><c>/crypto/symbol</c>: <c>EXCHANGE:PAIR</c> (<c>BINANCE:BTCUSDT</c>).</summary>
    Crypto,

    /// <summary><c>/forex/symbol</c>: <c>BROKER:BASE_QUOTE</c> (<c>OANDA:EUR_USD</c>).</summary>
    Forex,
}
