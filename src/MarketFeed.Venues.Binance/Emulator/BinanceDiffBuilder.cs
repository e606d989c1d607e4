namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The levels changed since the last diff event of one depth stream, each with its latest absolute quantity, and the
/// first update id they cover: what one <c>depthUpdate</c> carries.
/// </summary>
internal sealed class BinanceDiffBuilder
{
    private readonly Dictionary<long, long> _bids = [];
    private readonly Dictionary<long, long> _asks = [];
    private long _firstUpdateId;

    public void Record(long updateId, bool bid, long price, long quantity)
    {
        if (_firstUpdateId == 0)
        {
            _firstUpdateId = updateId;
        }

        (bid ? _bids : _asks)[price] = quantity;
    }

    /// <summary>The diff up to <paramref name="lastUpdateId"/> (null when nothing changed), and a fresh start.</summary>
    public BinanceDiff? Take(long lastUpdateId)
    {
        if (_firstUpdateId == 0)
        {
            return null;
        }

        var diff = new BinanceDiff(
            _firstUpdateId,
            lastUpdateId,
            [.. _bids.OrderByDescending(l => l.Key).Select(l => new BinanceLevel(l.Key, l.Value))],
            [.. _asks.OrderBy(l => l.Key).Select(l => new BinanceLevel(l.Key, l.Value))]);
        _bids.Clear();
        _asks.Clear();
        _firstUpdateId = 0;
        return diff;
    }
}
