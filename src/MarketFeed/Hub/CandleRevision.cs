using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.Hub;

/// <summary>
/// A closed bar changed after the fact (<c>candleRevised</c>): <see cref="New"/> replaces <see cref="Old"/> (a
/// reconciled bar, flagged <see cref="CandleFlags.Revised"/>), or was inserted where the series had none (a backfilled
/// bar, <see cref="Old"/> null). Never a new live close: consumers update the bar they hold at <c>New.Start</c>.
/// <see cref="Seq"/> is the series' event number, shared with its <see cref="CandleEvent"/>s.
/// </summary>
public readonly record struct CandleRevision(InstrumentId Instrument, CandleInterval Interval, Candle? Old, Candle New, long Seq);
