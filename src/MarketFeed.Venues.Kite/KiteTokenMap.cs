using System.Collections.Frozen;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kite;

/// <summary>Instrument token → <see cref="InstrumentId"/>, built once from the instrument master, read on every packet.</summary>
public sealed class KiteTokenMap(IEnumerable<KeyValuePair<uint, InstrumentId>> entries)
{
    private readonly FrozenDictionary<uint, InstrumentId> _map = entries.ToFrozenDictionary();

    public int Count => _map.Count;

    public bool TryGet(uint token, out InstrumentId instrument) => _map.TryGetValue(token, out instrument);
}
