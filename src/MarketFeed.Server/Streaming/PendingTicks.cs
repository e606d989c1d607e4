using MarketFeed.Model;

namespace MarketFeed.Server.Streaming;

/// <summary>
/// One client's ticks not yet sent: the latest per instrument, in the order instruments first became pending. A newer
/// tick of a pending instrument replaces the older one in place (counted), so a client that falls behind is sent the
/// newest prices rather than a queue of stale ones, and what waits for it is bounded by the symbols it holds.
/// Offered from the fan-out loop, taken by the client's writer; steady state allocates nothing.
/// </summary>
internal sealed class PendingTicks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InstrumentId, int> _slotOf = [];
    private List<PendingTick> _pending = [];
    private List<PendingTick> _taken = [];

    /// <summary>Adds the tick, or replaces the pending one of its instrument.</summary>
    public OfferOutcome Offer(in PendingTick tick)
    {
        lock (_gate)
        {
            if (_slotOf.TryGetValue(tick.Instrument, out int slot))
            {
                _pending[slot] = tick;
                return OfferOutcome.Conflated;
            }

            _slotOf[tick.Instrument] = _pending.Count;
            _pending.Add(tick);
            return _pending.Count == 1 ? OfferOutcome.First : OfferOutcome.Added;
        }
    }

    /// <summary>Everything pending, oldest first; the list stays valid until the next call (writer only).</summary>
    public List<PendingTick> Take()
    {
        lock (_gate)
        {
            _taken.Clear();
            (_pending, _taken) = (_taken, _pending);
            _slotOf.Clear();
            return _taken;
        }
    }

    /// <summary>Drops what is pending for an instrument the client no longer holds.</summary>
    public void Remove(InstrumentId instrument)
    {
        lock (_gate)
        {
            if (_slotOf.Remove(instrument))
            {
                _pending.RemoveAll(t => t.Instrument == instrument);
                _slotOf.Clear();
                for (int i = 0; i < _pending.Count; i++)
                {
                    _slotOf[_pending[i].Instrument] = i;
                }
            }
        }
    }
}
