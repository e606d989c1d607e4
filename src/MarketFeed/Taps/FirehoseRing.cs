using System.Runtime.CompilerServices;

namespace MarketFeed.Taps;

/// <summary>
/// A single-producer single-consumer ring of firehose events: the producer is one hub partition, the consumer the
/// firehose's reader. Lock-free: the producer owns <c>_tail</c>, the consumer owns <c>_head</c>; each publishes its
/// index with a release write after touching the slot, and reads the other's with an acquire read, so a slot is never
/// read before it is written nor overwritten before it is read. Events are written in place (one copy per event).
/// </summary>
internal sealed class FirehoseRing(int capacity)
{
    private readonly FirehoseEvent[] _slots = new FirehoseEvent[capacity];
    private readonly long _mask = capacity - 1;
    private long _head;
    private long _tail;

    public long Written => Volatile.Read(ref _tail);

    public int Count => (int)(Volatile.Read(ref _tail) - Volatile.Read(ref _head));

    /// <summary>Producer only. False when full.</summary>
    public bool TryWriteTick(in Model.Tick tick)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) == _slots.Length)
        {
            return false;
        }

        ref FirehoseEvent slot = ref _slots[tail & _mask];
        slot.SetTick(in tick);
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Producer only. False when full.</summary>
    public bool TryWriteCandle(in Hub.CandleEvent candle)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) == _slots.Length)
        {
            return false;
        }

        ref FirehoseEvent slot = ref _slots[tail & _mask];
        slot.SetCandle(in candle);
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Producer only. False when full.</summary>
    public bool TryWriteRevision(in Hub.CandleRevision revision)
    {
        long tail = _tail;
        bool free = tail - Volatile.Read(ref _head) < _slots.Length;
        if (free)
        {
            _slots[tail & _mask].SetRevision(in revision);
            Volatile.Write(ref _tail, tail + 1);
        }

        return free;
    }

    /// <summary>Producer only: the book's best <paramref name="depth"/> levels a side. False when full.</summary>
    public bool TryWriteBook(Books.OrderBook book, int depth, Model.TickSource source)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) == _slots.Length)
        {
            return false;
        }

        _slots[tail & _mask].SetBook(book, depth, source);
        Volatile.Write(ref _tail, tail + 1);
        return true;
    }

    /// <summary>Consumer only: hands up to <paramref name="max"/> events to <paramref name="reader"/> in place, then frees their slots.</summary>
    public int Drain<TReader>(ref TReader reader, int max)
        where TReader : IFirehoseReader
    {
        long head = _head;
        long available = Volatile.Read(ref _tail) - head;
        int count = (int)Math.Min(available, max);
        for (int i = 0; i < count; i++)
        {
            ref readonly FirehoseEvent item = ref _slots[(head + i) & _mask];
            switch (item.Kind)
            {
                case FirehoseEventKind.Tick:
                    reader.OnTick(in item.TickField);
                    break;
                case FirehoseEventKind.CandleClosed:
                    reader.OnCandleClosed(in item.CandleField);
                    break;
                case FirehoseEventKind.Book:
                    reader.OnBook(item.AsBook());
                    break;
                default:
                    reader.OnCandleRevised(item.AsRevision());
                    break;
            }
        }

        Volatile.Write(ref _head, head + count);
        return count;
    }

    /// <summary>Consumer only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryRead(out FirehoseEvent item)
    {
        long head = _head;
        if (head == Volatile.Read(ref _tail))
        {
            item = default;
            return false;
        }

        item = _slots[head & _mask].Detached();
        Volatile.Write(ref _head, head + 1);
        return true;
    }
}
