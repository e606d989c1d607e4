namespace MarketFeed.Candles;

/// <summary>
/// Fixed-capacity history of closed candles, oldest overwritten first; the array is allocated on the first close.
/// A mutable struct kept inline in its series (one object less per series): only ever use it through that field.
/// </summary>
internal struct CandleRing(int capacity)
{
    private Candle[]? _items;
    private int _next;

    public int Count { get; private set; }

    public int Capacity { get; } = capacity;

    public void Add(in Candle candle)
    {
        _items ??= new Candle[Capacity];
        _items[_next] = candle;
        _next = (_next + 1) % Capacity;
        if (Count < Capacity)
        {
            Count++;
        }
    }

    /// <summary>The logical position (0 = oldest) of the bar that starts at <paramref name="start"/>, or -1. Bars are in start order.</summary>
    public readonly int IndexOf(DateTime start)
    {
        int index = LowerBound(start);
        return index < Count && At(index).Start == start ? index : -1;
    }

    /// <summary>The logical position of the first bar that starts at or after <paramref name="start"/> (<see cref="Count"/> when none does).</summary>
    public readonly int LowerBound(DateTime start)
    {
        int lo = 0;
        int hi = Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (At(mid).Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The candle at logical position <paramref name="index"/> (0 = oldest).</summary>
    public readonly ref Candle At(int index) => ref _items![Physical(index)];

    /// <summary>
    /// Inserts a bar where its start belongs (the ring stays in start order). When full, the oldest bar goes; a bar older
    /// than everything in a full ring is not kept. Returns whether it was kept.
    /// </summary>
    public bool InsertOrdered(in Candle candle)
    {
        int position = Count;
        while (position > 0 && At(position - 1).Start > candle.Start)
        {
            position--;
        }

        if (position == Count)
        {
            Add(in candle);
            return true;
        }

        if (Count == Capacity)
        {
            if (position == 0)
            {
                return false;
            }

            // Drop the oldest: shift the bars before the insertion point one towards the front.
            for (int i = 0; i < position - 1; i++)
            {
                At(i) = At(i + 1);
            }

            At(position - 1) = candle;
            return true;
        }

        Add(in candle);
        for (int i = Count - 1; i > position; i--)
        {
            At(i) = At(i - 1);
        }

        At(position) = candle;
        return true;
    }

    private readonly int Physical(int index) => (_next - Count + index + Capacity) % Capacity;

    /// <summary>The <paramref name="count"/> most recent candles, oldest first.</summary>
    public readonly Candle[] Latest(int count)
    {
        int n = Math.Min(count, Count);
        var result = new Candle[n];
        for (int i = 0; i < n; i++)
        {
            int index = (_next - n + i + Capacity) % Capacity;
            result[i] = _items![index];
        }

        return result;
    }
}
