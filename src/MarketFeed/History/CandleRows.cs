using System.Data.Common;
using MarketFeed.Candles;
using MarketFeed.Model;

namespace MarketFeed.History;

/// <summary>How the stores turn a bar's fields into columns and back: times in UTC, prices as fixed-point integers.</summary>
internal static class CandleRows
{
    public static long ToUnixMs(DateTime utc) => (DateTime.SpecifyKind(utc, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerMillisecond;

    public static DateTime FromUnixMs(long ms) => DateTime.UnixEpoch.AddTicks(ms * TimeSpan.TicksPerMillisecond);

    /// <summary>The price's fixed-point integer, or DBNull when the venue sent none.</summary>
    public static object Raw(Price price) => price.HasValue ? price.Raw : DBNull.Value;

    /// <summary>A bar from a row whose columns 2–8 are open, high, low, close, volume, ticks and flags (the stores' SELECT order).</summary>
    public static Candle Read(DbDataReader row, DateTime start, DateTime end) => new(
        start,
        end,
        Price.FromRaw(row.IsDBNull(2) ? Price.None.Raw : row.GetInt64(2)),
        Price.FromRaw(row.IsDBNull(3) ? Price.None.Raw : row.GetInt64(3)),
        Price.FromRaw(row.IsDBNull(4) ? Price.None.Raw : row.GetInt64(4)),
        Price.FromRaw(row.IsDBNull(5) ? Price.None.Raw : row.GetInt64(5)),
        row.IsDBNull(6) ? Quantity.None : Quantity.FromRaw(row.GetInt64(6)),
        row.GetInt32(7),
        (CandleFlags)row.GetInt32(8));

    /// <summary>
    /// The batch with one bar per (symbol, interval, start), the last one given winning (one upsert statement cannot
    /// touch a row twice); the order of first appearance is kept.
    /// </summary>
    public static IReadOnlyList<StoredCandle> LastPerKey(IReadOnlyList<StoredCandle> candles)
    {
        var index = new Dictionary<(string, CandleInterval, DateTime), int>(candles.Count);
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
