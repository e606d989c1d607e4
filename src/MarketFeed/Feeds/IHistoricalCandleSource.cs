using MarketFeed.Candles;
using MarketFeed.Instruments;

namespace MarketFeed.Feeds;

/// <summary>
/// A feed that can provide closed candles from before the gateway started (a venue's historical REST endpoint, the
/// simulator's synthetic past). The hub seeds every new candle series with them, so charts and strategies start
/// with history instead of one forming bar.
/// </summary>
public interface IHistoricalCandleSource
{
    /// <summary>Up to <paramref name="count"/> closed bars that end at or before <paramref name="endUtc"/>, oldest first.</summary>
    Task<IReadOnlyList<Candle>> GetHistoryAsync(Instrument instrument, CandleInterval interval, DateTime endUtc, int count, CancellationToken cancellationToken);
}
