namespace MarketFeed.Hub;

/// <summary>
/// A FIFO ring of items with a key each, for one subscriber's outbound queue. An item enqueued with
/// <c>conflate: true</c> replaces the pending item with the same key in place (latest wins, position kept); at
/// <see cref="MaxCount"/> the oldest item is dropped. Grows by doubling up to <see cref="MaxCount"/>, so steady state
/// allocates nothing. Not thread-safe: the owning subscriber serializes access.
/// </summary>
internal sealed class KeyedRing<T>
    where T : struct
{
    private readonly Dictionary<long, long> _pendingPositionByKey = [];
    private T[] _items;
    private long[] _keys;
    private long _head;
    private long _tail;

    public KeyedRing(int maxCount)
    {
        MaxCount = maxCount;
        int initial = (int)Math.Min(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, maxCount)));
        _items = new T[initial];
        _keys = new long[initial];
    }

    public int MaxCount { get; }

    public int Count => (int)(_tail - _head);

    public EnqueueOutcome Enqueue(long key, in T item, bool conflate)
    {
        if (conflate && _pendingPositionByKey.TryGetValue(key, out long position))
        {
            _items[Index(position)] = item;
            return EnqueueOutcome.Conflated;
        }

        EnqueueOutcome outcome = EnqueueOutcome.Added;
        if (Count >= MaxCount)
        {
            DropOldest();
            outcome = EnqueueOutcome.DroppedOldest;
        }
        else if (Count == _items.Length)
        {
            Grow();
        }

        int index = Index(_tail);
        _items[index] = item;
        _keys[index] = key;
        if (conflate)
        {
            _pendingPositionByKey[key] = _tail;
        }

        _tail++;
        return outcome;
    }

    /// <summary>Later items with <paramref name="key"/> are appended, not merged into the one pending now.</summary>
    public void Unpin(long key) => _pendingPositionByKey.Remove(key);

    public bool TryDequeue(out T item)
    {
        if (_head == _tail)
        {
            item = default;
            return false;
        }

        int index = Index(_head);
        item = _items[index];
        _items[index] = default;
        ForgetPosition(_keys[index], _head);
        _head++;
        return true;
    }

    /// <summary>Removes every pending item whose key matches; returns how many.</summary>
    public int RemoveWhere(Func<long, bool> keyMatches)
    {
        int removed = 0;
        long write = _head;
        for (long read = _head; read < _tail; read++)
        {
            int from = Index(read);
            long key = _keys[from];
            bool pinned = _pendingPositionByKey.TryGetValue(key, out long pinnedAt) && pinnedAt == read;
            if (keyMatches(key))
            {
                if (pinned)
                {
                    _pendingPositionByKey.Remove(key);
                }

                removed++;
                continue;
            }

            int to = Index(write);
            _items[to] = _items[from];
            _keys[to] = key;
            if (pinned)
            {
                _pendingPositionByKey[key] = write;
            }

            write++;
        }

        for (long clear = write; clear < _tail; clear++)
        {
            _items[Index(clear)] = default;
        }

        _tail = write;
        return removed;
    }

    private void DropOldest()
    {
        int index = Index(_head);
        ForgetPosition(_keys[index], _head);
        _items[index] = default;
        _head++;
    }

    private void ForgetPosition(long key, long position)
    {
        if (_pendingPositionByKey.TryGetValue(key, out long pinned) && pinned == position)
        {
            _pendingPositionByKey.Remove(key);
        }
    }

    private void Grow()
    {
        int count = Count;
        var items = new T[_items.Length * 2];
        var keys = new long[_items.Length * 2];
        for (int i = 0; i < count; i++)
        {
            items[Index(_head + i, items.Length)] = _items[Index(_head + i)];
            keys[Index(_head + i, items.Length)] = _keys[Index(_head + i)];
        }

        _items = items;
        _keys = keys;
    }

    private int Index(long position) => Index(position, _items.Length);

    private static int Index(long position, int length) => (int)(position & (length - 1));
}
