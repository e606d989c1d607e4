namespace MarketFeed.Venues.Coinbase.Emulator;

/// <summary>
/// One product's book on the emulator's exchange: sizes by price per side, and the level changes since they were last
/// taken (what the next <c>l2_data</c> update carries, each level's latest size, 0 for gone). Not thread-safe: the
/// market's lock guards it.
/// </summary>
internal sealed class CoinbaseEmulatorBook
{
    private readonly SortedDictionary<long, long> _bids = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<long, long> _asks = new();
    private readonly Dictionary<(bool Bid, long Price), long> _changes = [];

    public int Count(bool bids) => (bids ? _bids : _asks).Count;

    public (long Price, long Size) Best(bool bids)
    {
        foreach (KeyValuePair<long, long> level in bids ? _bids : _asks)
        {
            return (level.Key, level.Value);
        }

        return (0, 0);
    }

    public bool Contains(bool bids, long price) => (bids ? _bids : _asks).ContainsKey(price);

    /// <summary>Sets a level's size (0 removes it) and records the change.</summary>
    public void Set(bool bids, long price, long size)
    {
        SortedDictionary<long, long> side = bids ? _bids : _asks;
        bool had = side.TryGetValue(price, out long before);
        if (size > 0)
        {
            side[price] = size;
        }
        else if (had)
        {
            side.Remove(price);
        }
        else
        {
            return;
        }

        if (!had || before != size)
        {
            _changes[(bids, price)] = size;
        }
    }

    /// <summary>Prices of a side, best first.</summary>
    public List<long> Prices(bool bids) => [.. (bids ? _bids : _asks).Keys];

    /// <summary>The whole book, best first per side.</summary>
    public (List<(long Price, long Size)> Bids, List<(long Price, long Size)> Asks) Snapshot() =>
        ([.. _bids.Select(l => (l.Key, l.Value))], [.. _asks.Select(l => (l.Key, l.Value))]);

    /// <summary>The changes since the last call, bids first, and forgets them.</summary>
    public List<(bool Bid, long Price, long Size)> TakeChanges()
    {
        List<(bool, long, long)> changes = [.. _changes.OrderBy(c => c.Key.Bid ? 0 : 1).ThenBy(c => c.Key.Price).Select(c => (c.Key.Bid, c.Key.Price, c.Value))];
        _changes.Clear();
        return changes;
    }
}
