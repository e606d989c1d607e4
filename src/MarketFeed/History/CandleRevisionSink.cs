using MarketFeed.Candles;
using MarketFeed.Instruments;

namespace MarketFeed.History;

/// <summary>
/// Applies venue bars to a live series (the hub's <c>ApplyCandleRevisionsAsync</c>): a bar flagged
/// <see cref="CandleFlags.Revised"/> replaces the live bar with its start, one flagged <see cref="CandleFlags.Backfilled"/>
/// is inserted where the series has none; subscribers receive both as revisions. Returns how many were applied.
/// </summary>
public delegate Task<int> CandleRevisionSink(Instrument instrument, CandleInterval interval, IReadOnlyList<Candle> bars, CancellationToken cancellationToken);
