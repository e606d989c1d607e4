using MarketFeed.Model;

namespace MarketFeed.Venues.Coinbase;

/// <summary>
/// One connection's <c>sequence_num</c> check and the books that live on it. Coinbase numbers every message of a
/// connection, across channels, +1 each, from wherever the socket starts. Any other number — ahead (messages were
/// lost), behind (a replay, or a restart) — is a <see cref="Verdict.Gap"/>: every book on the connection is suspect,
/// and the count goes on from the number seen. Nothing is dropped on a number alone, so one odd message never hides
/// the ones after it. Used only by its connection's receive loop.
/// </summary>
internal sealed class CoinbaseConnectionSequence
{
    private long _expected = -1;

    public enum Verdict
    {
        /// <summary>The first numbered message of a new socket.</summary>
        Start,

        InLine,

        Gap,
    }

    /// <summary>Books whose snapshot came on this connection.</summary>
    public HashSet<InstrumentId> Books { get; } = [];

    /// <summary>Books resubscribed (or newly subscribed) and waiting for their fresh snapshot, and since when.</summary>
    public Dictionary<InstrumentId, DateTime> Awaiting { get; } = [];

    /// <summary>
    /// The continuity stamp of this connection's last break (gap or new socket): a book whose last update is older must
    /// not take diffs until a snapshot newer than it lands. 0 before any.
    /// </summary>
    public long BreakStamp { get; set; }

    /// <summary>A new socket: its numbering starts afresh.</summary>
    public void Restart() => _expected = -1;

    public Verdict Check(long sequence)
    {
        long expected = _expected;
        _expected = sequence + 1;
        return expected < 0 ? Verdict.Start : sequence == expected ? Verdict.InLine : Verdict.Gap;
    }
}
