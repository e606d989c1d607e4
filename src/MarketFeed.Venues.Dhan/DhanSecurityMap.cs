using System.Numerics;
using MarketFeed.Model;

namespace MarketFeed.Venues.Dhan;

/// <summary>
/// (exchange segment, security id) → <see cref="DhanSecurity"/>, built once from the scrip master and read on every
/// packet. It also keeps each security's last previous-day close (Dhan sends it once per subscription, in its own
/// packet), which the decoder puts into every later tick as <c>close</c>, and the last open interest of quote mode
/// (also its own packet), which goes into the next quote tick.
/// </summary>
internal sealed class DhanSecurityMap
{
    /// <summary>A free cell: keys are never negative (a segment byte over an unsigned 32-bit id).</summary>
    private const long FreeKey = -1;

    // Open addressing with linear probing over a power-of-two table at most half full: a lookup is one multiply, one
    // shift and almost always one comparison (a FrozenDictionary costs a virtual call and more on this hot path).
    // Built once and never written after the constructor, so any thread may read it without a lock.
    private readonly long[] _keys;
    private readonly DhanSecurity[] _securities;
    private readonly int _shift;
    private readonly long[] _prevClose;
    private readonly long[] _prevOi;
    private readonly long[] _oi;

    public DhanSecurityMap(IEnumerable<(byte Segment, int SecurityId, InstrumentId Instrument, Price TickSize)> entries)
    {
        // A security listed twice keeps its last row, and slots stay dense: 0 .. Count − 1.
        var rows = new Dictionary<long, (InstrumentId Instrument, Price TickSize)>();
        foreach ((byte segment, int securityId, InstrumentId instrument, Price tickSize) in entries)
        {
            rows[Key(segment, securityId)] = (instrument, tickSize);
        }

        int bits = Math.Max(4, 64 - BitOperations.LeadingZeroCount((ulong)rows.Count * 2));
        _shift = 64 - bits;
        _keys = new long[1 << bits];
        Array.Fill(_keys, FreeKey);
        _securities = new DhanSecurity[1 << bits];
        int slot = 0;
        foreach ((long key, (InstrumentId instrument, Price tickSize)) in rows)
        {
            int cell = CellOf(key);
            while (_keys[cell] != FreeKey)
            {
                cell = (cell + 1) & (_keys.Length - 1);
            }

            _keys[cell] = key;
            _securities[cell] = new DhanSecurity(instrument, tickSize, slot++);
        }

        Count = rows.Count;
        _prevClose = new long[Count];
        Array.Fill(_prevClose, Price.None.Raw);
        _prevOi = new long[Count];
        Array.Fill(_prevOi, Quantity.None.Raw);
        _oi = new long[Count];
        Array.Fill(_oi, Quantity.None.Raw);
    }

    public static DhanSecurityMap Empty { get; } = new([]);

    public int Count { get; }

    public static long Key(byte segment, int securityId) => ((long)segment << 32) | (uint)securityId;

    public bool TryGet(byte segment, int securityId, out DhanSecurity security)
    {
        long key = Key(segment, securityId);
        long[] keys = _keys;
        for (int cell = CellOf(key); ; cell = (cell + 1) & (keys.Length - 1))
        {
            long found = keys[cell];
            if (found == key)
            {
                security = _securities[cell];
                return true;
            }

            if (found == FreeKey)
            {
                security = default;
                return false;
            }
        }
    }

    /// <summary>Fibonacci hashing: the top bits of key × 2^64/φ spread sequential security ids evenly over the table.</summary>
    private int CellOf(long key) => (int)((ulong)key * 0x9E37_79B9_7F4A_7C15UL >> _shift);

    public Price PrevClose(int slot) => Price.FromRaw(Volatile.Read(ref _prevClose[slot]));

    public void SetPrevClose(int slot, Price close) => Volatile.Write(ref _prevClose[slot], close.Raw);

    /// <summary>The open interest at the previous day's close (Dhan sends it with the previous close, code 6), or none yet.</summary>
    public Quantity PreviousOpenInterest(int slot) => Quantity.FromRaw(Volatile.Read(ref _prevOi[slot]));

    public void SetPreviousOpenInterest(int slot, Quantity oi) => Volatile.Write(ref _prevOi[slot], oi.Raw);

    /// <summary>The last open interest of a quote-mode security (Dhan sends it in its own packet, code 5).</summary>
    public Quantity OpenInterest(int slot) => Quantity.FromRaw(Volatile.Read(ref _oi[slot]));

    public void SetOpenInterest(int slot, Quantity oi) => Volatile.Write(ref _oi[slot], oi.Raw);
}
