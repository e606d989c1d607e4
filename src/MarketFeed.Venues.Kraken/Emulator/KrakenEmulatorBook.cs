namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>
/// One pair's book in the emulator: both sides as sorted price → quantity maps (raw fixed point), best first on
/// request. Not thread-safe: the market's lock guards it.
/// </summary>
internal sealed class KrakenEmulatorBook
{
    private readonly SortedDictionary<long, long> _bids = new(Comparer<long>.Create((a, b) => b.CompareTo(a)));
    private readonly SortedDictionary<long, long> _asks = new();

    public int Count(bool bids) => Side(bids).Count;

    public bool Contains(bool bids, long price) => Side(bids).ContainsKey(price);

    public long QuantityAt(bool bids, long price) => Side(bids).GetValueOrDefault(price);

    /// <summary>Sets a level; a quantity of 0 removes it.</summary>
    public void Set(bool bids, long price, long quantity)
    {
        if (quantity <= 0)
        {
            Side(bids).Remove(price);
        }
        else
        {
            Side(bids)[price] = quantity;
        }
    }

    /// <summary>The best <paramref name="levels"/> of a side, best first.</summary>
    public List<(long Price, long Quantity)> Top(bool bids, int levels) => [.. Side(bids).Take(levels).Select(l => (l.Key, l.Value))];

    public (long Price, long Quantity) Best(bool bids) => Side(bids).Count == 0 ? (0, 0) : Side(bids).Select(l => (l.Key, l.Value)).First();

    /// <summary>The level at <paramref name="index"/> from the best.</summary>
    public (long Price, long Quantity) At(bool bids, int index) => Side(bids).Skip(index).Select(l => (l.Key, l.Value)).First();

    public (long Price, long Quantity) Worst(bool bids) => Side(bids).Select(l => (l.Key, l.Value)).Last();

    private SortedDictionary<long, long> Side(bool bids) => bids ? _bids : _asks;
}
