namespace MarketFeed.LoadTest.Fanout;

/// <summary>
/// The baseline's per-client conflation: the encoded message of the latest tick of each instrument not yet sent, in
/// the order instruments first became pending. A newer tick of a pending instrument replaces the older one in place.
/// </summary>
internal sealed class LatestPerInstrument
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _slotOf = [];
    private List<byte[]> _pending = [];
    private List<byte[]> _spare = [];

    public long Conflated;

    /// <summary>Adds or replaces; true when the store was empty before (the writer needs a wake-up).</summary>
    public bool Offer(int instrument, byte[] message)
    {
        lock (_gate)
        {
            if (_slotOf.TryGetValue(instrument, out int slot))
            {
                _pending[slot] = message;
                Conflated++;
                return false;
            }

            _slotOf[instrument] = _pending.Count;
            _pending.Add(message);
            return _pending.Count == 1;
        }
    }

    /// <summary>Takes everything pending; the list is the caller's until the next call.</summary>
    public List<byte[]> Take()
    {
        lock (_gate)
        {
            (List<byte[]> taken, _pending) = (_pending, _spare);
            _spare = taken;
            _pending.Clear();
            _slotOf.Clear();
            return taken;
        }
    }
}
