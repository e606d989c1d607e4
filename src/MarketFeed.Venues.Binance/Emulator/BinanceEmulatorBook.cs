namespace MarketFeed.Venues.Binance.Emulator;

/// <summary>
/// The emulator's order book of one symbol. Every level change takes the next update id and is recorded for both
/// diff-depth streams (100 ms and 1000 ms), so a REST snapshot at <see cref="UpdateId"/> plus the diffs after it is
/// exactly this book — Binance's sync procedure works against it.
/// </summary>
internal sealed class BinanceEmulatorBook(long firstUpdateId)
{
    // Each side is sorted with its best level last: the levels that change most sit at the end, where inserting and removing move nothing.
    private static readonly IComparer<long> s_descending = Comparer<long>.Create((a, b) => b.CompareTo(a));
    private readonly SortedList<long, long> _bids = new();
    private readonly SortedList<long, long> _asks = new(s_descending);
    private readonly BinanceDiffBuilder _fast = new();
    private readonly BinanceDiffBuilder _slow = new();

    /// <summary>The id of the last change applied (a snapshot's <c>lastUpdateId</c>).</summary>
    public long UpdateId { get; private set; } = firstUpdateId;

    public int Count(bool bids) => Side(bids).Count;

    /// <summary>The level <paramref name="index"/> places from the top (0 = best).</summary>
    public BinanceLevel Level(bool bids, int index)
    {
        SortedList<long, long> side = Side(bids);
        int at = side.Count - 1 - index;
        return new BinanceLevel(side.Keys[at], side.Values[at]);
    }

    public bool Contains(bool bids, long price) => Side(bids).ContainsKey(price);

    /// <summary>Sets a level's absolute quantity (0 removes it). A change that changes nothing takes no update id.</summary>
    public void Set(bool bids, long price, long quantity)
    {
        SortedList<long, long> side = Side(bids);
        bool exists = side.TryGetValue(price, out long current);
        if (quantity == 0 ? !exists : exists && current == quantity)
        {
            return;
        }

        if (quantity == 0)
        {
            side.Remove(price);
        }
        else
        {
            side[price] = quantity;
        }

        UpdateId++;
        _fast.Record(UpdateId, bids, price, quantity);
        _slow.Record(UpdateId, bids, price, quantity);
    }

    /// <summary>A level of the initial book: no update id, no diff.</summary>
    public void Seed(bool bids, long price, long quantity) => Side(bids)[price] = quantity;

    /// <summary>The changes since the last diff of the 100 ms (<paramref name="fast"/>) or 1000 ms stream.</summary>
    public BinanceDiff? TakeDiff(bool fast) => (fast ? _fast : _slow).Take(UpdateId);

    public IReadOnlyList<BinanceLevel> Top(bool bids, int limit)
    {
        SortedList<long, long> side = Side(bids);
        var levels = new BinanceLevel[Math.Min(limit, side.Count)];
        for (int i = 0; i < levels.Length; i++)
        {
            levels[i] = Level(bids, i);
        }

        return levels;
    }

    private SortedList<long, long> Side(bool bids) => bids ? _bids : _asks;
}
