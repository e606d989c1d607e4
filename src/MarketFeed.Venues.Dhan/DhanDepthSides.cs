using System.Collections.Concurrent;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// The last bid and ask side the depth feed sent per instrument. Dhan sends each side as its own packet; the book
/// takes whole snapshots, so each side is merged with the other's last state before it is published.
/// </summary>
internal sealed class DhanDepthSides
{
    private readonly ConcurrentDictionary<InstrumentId, Sides> _sides = new();

    public Sides For(InstrumentId instrument) => _sides.GetOrAdd(instrument, _ => new Sides());

    public void Forget(InstrumentId instrument) => _sides.TryRemove(instrument, out _);

    /// <summary>Both sides of one instrument's book, as last sent.</summary>
    internal sealed class Sides
    {
        public (Price Price, Quantity Quantity)[] Bids { get; } = new (Price, Quantity)[DhanDepthPacket.Levels];

        public (Price Price, Quantity Quantity)[] Asks { get; } = new (Price, Quantity)[DhanDepthPacket.Levels];

        public int BidCount { get; set; }

        public int AskCount { get; set; }

        /// <summary>Set when a side changed in the frame being decoded: one snapshot per instrument and frame.</summary>
        public bool Touched { get; set; }
    }
}
