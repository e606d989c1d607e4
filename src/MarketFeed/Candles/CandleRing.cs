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
