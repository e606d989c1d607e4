namespace MarketFeed.Venues.Kraken.Emulator;

/// <summary>One connection's book subscription: its depth and the levels it last sent per side (what the client holds), best first.</summary>
internal sealed class KrakenBookView(int depth)
{
    public int Depth { get; } = depth;

    public List<(long Price, long Quantity)> Bids { get; set; } = [];

    public List<(long Price, long Quantity)> Asks { get; set; } = [];

    /// <summary>
    /// The changes that take the client from what it holds to <paramref name="top"/> (the side's best levels now, at
    /// least <see cref="Depth"/> of them when the book has them): new and changed levels within the depth, and a
    /// quantity of 0 for a held level that left the book. A held level merely pushed below the depth gets no delete —
    /// Kraken sends none; the client cuts its book to the depth. Returns the new held levels.
    /// </summary>
    public List<(long Price, long Quantity)> Diff(List<(long Price, long Quantity)> held, IReadOnlyList<(long Price, long Quantity)> top, List<(long Price, long Quantity)> changes)
    {
        var now = top.Take(Depth).ToList();
        var heldByPrice = held.ToDictionary(l => l.Price, l => l.Quantity);
        var inBook = top.Select(l => l.Price).ToHashSet();
        foreach ((long price, long quantity) in held)
        {
            if (!inBook.Contains(price))
            {
                changes.Add((price, 0));
            }
        }

        foreach ((long price, long quantity) in now)
        {
            if (!heldByPrice.TryGetValue(price, out long before) || before != quantity)
            {
                changes.Add((price, quantity));
            }
        }

        return now;
    }
}
