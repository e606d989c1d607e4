using System.Runtime.CompilerServices;
using MarketFeed.Candles;

namespace MarketFeed.History;

/// <summary>
/// Reads a long range of one series from a store in pieces (so a year of 1-minute bars is never one result in
/// memory), oldest first, saying how far it has got. The one place exports read stored history.
/// </summary>
public static class CandleRangeReader
{
    /// <summary>Bars per read: a piece spans this many intervals.</summary>
    public const int BarsPerRead = 5_000;

    /// <summary>
    /// The bars of <paramref name="symbol"/> at <paramref name="interval"/> starting in [<paramref name="fromUtc"/>,
    /// <paramref name="toUtc"/>); <paramref name="progress"/> gets the fraction of the range read after each piece.
    /// </summary>
    public static async IAsyncEnumerable<Candle> ReadAsync(
        ICandleStore store, string symbol, CandleInterval interval, DateTime fromUtc, DateTime toUtc, Action<double>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        TimeSpan piece = interval.Length * BarsPerRead;
        double total = Math.Max(1, (toUtc - fromUtc).Ticks);
        for (DateTime at = fromUtc; at < toUtc;)
        {
            DateTime end = toUtc - at <= piece ? toUtc : at + piece;
            foreach (Candle candle in await store.ReadAsync(symbol, interval, at, end, cancellationToken).ConfigureAwait(false))
            {
                yield return candle;
            }

            progress?.Invoke((end - fromUtc).Ticks / total);
            at = end;
        }
    }
}
