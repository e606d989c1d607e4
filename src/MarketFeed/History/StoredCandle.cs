using MarketFeed.Candles;

namespace MarketFeed.History;

/// <summary>
/// One closed bar as a candle store keeps it: the series it belongs to and the bar. Stores key rows by symbol (stable
/// across restarts, unlike the process-local <c>InstrumentId</c>), interval and start; the bar's
/// <see cref="Candle.Flags"/> say where it came from (live, history, revised, backfilled).
/// </summary>
public readonly record struct StoredCandle(string Symbol, CandleInterval Interval, Candle Candle);
