using MarketFeed.Model;

namespace MarketFeed.History;

/// <summary>How the stores turn a bar's fields into columns and back: times in UTC, prices as fixed-point integers.</summary>
internal static class CandleRows
{
    public static long ToUnixMs(DateTime utc) => (DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;

    public static DateTime FromUnixMs(long ms) => DateTime.UnixEpoch.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    /// <summary>The price's fixed-point integer, or DBNull when the venue sent none.</summary>
    public static object Raw(Price price) => price.HasValue ? price.Raw : DBNull.Value;

    /// <summary>
    /// The batch with one bar per (symbol, interval, start), the last one given winning (one upsert statement cannot
    /// touch a row twice); the order of first appearance is kept.
    /// </summary>
    public static IReadOnlyList<StoredCandle> LastPerKey(IReadOnlyList<StoredCandle> candles)
    {
        var index = new Dictionary<(string, Candles.CandleInterval, DateTime), int>(candles.Count);
        var unique = new List<StoredCandle>(candles.Count);
        foreach (StoredCandle candle in candles)
        {
            var key = (candle.Symbol, candle.Interval, candle.Candle.Start);
            if (index.TryGetValue(key, out int at))
            {
                unique[at] = candle;
            }
            else
            {
                index[key] = unique.Count;
                unique.Add(candle);
            }
        }

        return unique.Count == candles.Count ? candles : unique;
    }
}
