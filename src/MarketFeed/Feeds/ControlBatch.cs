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

    /// <summary>
    /// Phrases the batch with <paramref name="protocol"/>, at most <see cref="ShardingLimits.InstrumentsPerMessage"/>
    /// instruments a message, and hands each connection its messages; the batch is empty afterwards. A chunk the
    /// protocol cannot phrase is retried one instrument at a time, so one bad instrument costs only itself.
    /// </summary>
    public void Send(IStreamProtocol protocol, Action<int, IEnumerable<ControlMessage>> sendTo, Action<Exception> failed)
    {
        int size = Math.Max(1, protocol.Limits.InstrumentsPerMessage);
        foreach ((int shard, InstrumentId[] unsubscribe, DesiredSubscription[] subscribe) in Drain())
        {
            foreach (InstrumentId[] chunk in unsubscribe.Chunk(size))
            {
                Phrase(shard, chunk, batch => protocol.Unsubscribe(batch), sendTo, failed);
            }

            foreach (DesiredSubscription[] chunk in subscribe.Chunk(size))
            {
                Phrase(shard, chunk, batch => protocol.Subscribe(batch), sendTo, failed);
            }
        }
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

    private static void Phrase<T>(int shard, T[] batch, Func<T[], IEnumerable<ControlMessage>> phrase, Action<int, IEnumerable<ControlMessage>> sendTo, Action<Exception> failed)
    {
        List<ControlMessage> messages;
        try
        {
            messages = [.. phrase(batch)];
        }
        catch (Exception e)
        {
            if (batch.Length == 1)
            {
                // A protocol that cannot phrase one change must not stop the session following the others.
                failed(e);
                return;
            }

            // Which instrument the protocol refused is not known: find out one at a time.
            foreach (T single in batch)
            {
                Phrase(shard, [single], phrase, sendTo, failed);
            }

            return;
        }

        sendTo(shard, messages);
    }
}
