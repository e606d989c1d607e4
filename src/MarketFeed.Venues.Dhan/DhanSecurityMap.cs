using System.Collections.Frozen;
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
    private readonly FrozenDictionary<long, DhanSecurity> _map;
    private readonly long[] _prevClose;
    private readonly long[] _oi;

    public DhanSecurityMap(IEnumerable<(byte Segment, int SecurityId, InstrumentId Instrument, Price TickSize)> entries)
    {
        var map = new Dictionary<long, DhanSecurity>();
        foreach ((byte segment, int securityId, InstrumentId instrument, Price tickSize) in entries)
        {
            map[Key(segment, securityId)] = new DhanSecurity(instrument, tickSize, map.Count);
        }

        _map = map.ToFrozenDictionary();
        _prevClose = new long[_map.Count];
        Array.Fill(_prevClose, Price.None.Raw);
        _oi = new long[_map.Count];
        Array.Fill(_oi, Quantity.None.Raw);
    }

    public static DhanSecurityMap Empty { get; } = new([]);

    public int Count => _map.Count;

    public static long Key(byte segment, int securityId) => ((long)segment << 32) | (uint)securityId;

    public bool TryGet(byte segment, int securityId, out DhanSecurity security) => _map.TryGetValue(Key(segment, securityId), out security);

    public Price PrevClose(int slot) => Price.FromRaw(Volatile.Read(ref _prevClose[slot]));

    public void SetPrevClose(int slot, Price close) => Volatile.Write(ref _prevClose[slot], close.Raw);

    /// <summary>The last open interest of a quote-mode security (Dhan sends it in its own packet, code 5).</summary>
    public Quantity OpenInterest(int slot) => Quantity.FromRaw(Volatile.Read(ref _oi[slot]));

    public void SetOpenInterest(int slot, Quantity oi) => Volatile.Write(ref _oi[slot], oi.Raw);
}
