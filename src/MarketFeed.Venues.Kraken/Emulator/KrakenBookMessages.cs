namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>A connection's book messages: the snapshot on subscribe and the updates that follow, each with its checksum.</summary>
internal static class KrakenBookMessages
{
    /// <summary>The snapshot of the best levels at the view's depth; the view now holds them.</summary>
    public static string Snapshot(KrakenPairSpec spec, KrakenBookView view, IReadOnlyList<(long Price, long Quantity)> bids, IReadOnlyList<(long Price, long Quantity)> asks, DateTime time)
    {
        view.Bids = [.. bids.Take(view.Depth)];
        view.Asks = [.. asks.Take(view.Depth)];
        return KrakenJson.Book(spec, view.Bids, view.Asks, KrakenJson.Checksum(spec, view.Bids, view.Asks), snapshot: true, time);
    }

    /// <summary>
    /// The update that takes the view to the book's best levels now, or null when nothing within its depth changed.
    /// <paramref name="wrongChecksum"/> is asked only when there is an update, and spoils its checksum.
    /// </summary>
    public static string? Update(KrakenPairSpec spec, KrakenBookView view, IReadOnlyList<(long Price, long Quantity)> bids, IReadOnlyList<(long Price, long Quantity)> asks,
        DateTime time, Func<bool> wrongChecksum)
    {
        var bidChanges = new List<(long Price, long Quantity)>();
        var askChanges = new List<(long Price, long Quantity)>();
        List<(long Price, long Quantity)> newBids = view.Diff(view.Bids, bids, bidChanges);
        List<(long Price, long Quantity)> newAsks = view.Diff(view.Asks, asks, askChanges);
        if (bidChanges.Count == 0 && askChanges.Count == 0)
        {
            return null;
        }

        (view.Bids, view.Asks) = (newBids, newAsks);
        uint checksum = KrakenJson.Checksum(spec, newBids, newAsks);
        if (wrongChecksum())
        {
            checksum ^= 0x5A5A5A5A;
        }

        return KrakenJson.Book(spec, bidChanges, askChanges, checksum, snapshot: false, time);
    }
}
