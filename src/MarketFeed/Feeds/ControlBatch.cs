using MarketFeed.Model;

namespace MarketFeed.Feeds;

/// <summary>
/// Subscription changes gathered while the session works through one burst of desired-set changes, so they go out as
/// few control messages as <see cref="ShardingLimits.InstrumentsPerMessage"/> allows. Venues that pace control
/// messages (Binance: 5 a second) would otherwise need a minute for a few hundred instruments subscribed at once.
/// Per connection, unsubscribes are sent before subscribes; an instrument dropped in the burst that added it is not
/// subscribed. Used under the session lock only.
/// </summary>
internal sealed class ControlBatch
{
    private readonly SortedDictionary<int, Dictionary<InstrumentId, FeedMode>> _subscribe = [];
    private readonly SortedDictionary<int, List<InstrumentId>> _unsubscribe = [];

    public bool IsEmpty => _subscribe.Count == 0 && _unsubscribe.Count == 0;

    public void Subscribe(int shard, InstrumentId instrument, FeedMode mode)
    {
        if (!_subscribe.TryGetValue(shard, out Dictionary<InstrumentId, FeedMode>? modes))
        {
            _subscribe[shard] = modes = [];
        }

        modes[instrument] = mode;
    }

    public void Unsubscribe(int shard, InstrumentId instrument)
    {
        if (_subscribe.TryGetValue(shard, out Dictionary<InstrumentId, FeedMode>? modes))
        {
            modes.Remove(instrument);
        }

        if (!_unsubscribe.TryGetValue(shard, out List<InstrumentId>? instruments))
        {
            _unsubscribe[shard] = instruments = [];
        }

        instruments.Add(instrument);
    }

    /// <summary>What each connection must be told, in shard order; the batch is empty afterwards.</summary>
    public List<(int Shard, InstrumentId[] Unsubscribe, DesiredSubscription[] Subscribe)> Drain()
    {
        var drained = new List<(int, InstrumentId[], DesiredSubscription[])>();
        foreach (int shard in _unsubscribe.Keys.Union(_subscribe.Keys).Order())
        {
            InstrumentId[] unsubscribe = _unsubscribe.TryGetValue(shard, out List<InstrumentId>? gone) ? [.. gone] : [];
            DesiredSubscription[] subscribe = _subscribe.TryGetValue(shard, out Dictionary<InstrumentId, FeedMode>? modes)
                ? [.. modes.Select(m => new DesiredSubscription(m.Key, m.Value))]
                : [];
            drained.Add((shard, unsubscribe, subscribe));
        }

        _subscribe.Clear();
        _unsubscribe.Clear();
        return drained;
    }
}
