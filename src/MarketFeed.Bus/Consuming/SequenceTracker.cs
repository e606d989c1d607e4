using MarketFeed.Bus.Contract;

namespace MarketFeed.Bus.Consuming;

/// <summary>
/// The last number seen per instrument and channel, and per producer batch stream, with who sent it in which epoch.
/// One per shard consumer (an instrument lives on one shard), so no locks.
/// </summary>
internal sealed class SequenceTracker
{
    private readonly Dictionary<(string Symbol, BusChannel Channel), Mark> _events = [];
    private readonly Dictionary<string, Mark> _batches = new(StringComparer.Ordinal);

    /// <summary>Judges a batch number: a repeat of one applied is <see cref="SequenceVerdict.Duplicate"/>.</summary>
    public SequenceVerdict Batch(in BusBatchHeader header, out long missedFrom)
    {
        return Judge(_batches, header.GatewayId, header.GatewayId, header.Epoch, header.BatchSeq, stateRound: false, out missedFrom);
    }

    public SequenceVerdict Event(string symbol, BusChannel channel, string producer, uint epoch, long seq, bool stateRound, out long missedFrom) =>
        Judge(_events, (symbol, channel), producer, epoch, seq, stateRound, out missedFrom);

    private static SequenceVerdict Judge<TKey>(Dictionary<TKey, Mark> marks, TKey key, string producer, uint epoch, long seq, bool stateRound, out long missedFrom)
        where TKey : notnull
    {
        missedFrom = 0;
        if (!marks.TryGetValue(key, out Mark? mark))
        {
            marks[key] = new Mark(producer, epoch, seq);
            return SequenceVerdict.Next;
        }

        if (mark.Epoch != epoch || !string.Equals(mark.Producer, producer, StringComparison.Ordinal))
        {
            // A restart or a new owner: numbers continue across it when the producer resumed them.
            long last = mark.Last;
            mark.Producer = producer;
            mark.Epoch = epoch;
            mark.Last = seq;
            if (seq == last + 1 || (stateRound && seq == last))
            {
                return SequenceVerdict.Next;
            }

            missedFrom = last + 1;
            return seq > last + 1 ? SequenceVerdict.Gap : SequenceVerdict.Rewound;
        }

        if (seq <= mark.Last)
        {
            return stateRound ? SequenceVerdict.Repeat : SequenceVerdict.Duplicate;
        }

        missedFrom = mark.Last + 1;
        SequenceVerdict verdict = seq == mark.Last + 1 && !stateRound ? SequenceVerdict.Next : SequenceVerdict.Gap;
        mark.Last = seq;
        return verdict;
    }

    private sealed class Mark(string producer, uint epoch, long last)
    {
        public string Producer { get; set; } = producer;

        public uint Epoch { get; set; } = epoch;

        public long Last { get; set; } = last;
    }
}
