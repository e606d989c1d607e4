using System.Diagnostics;
using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// One side of an L2 book: price levels kept sorted best first (bids descending, asks ascending) in two parallel
/// arrays of raw fixed-point values, at most <see cref="Capacity"/> of them. A change is a binary search plus a
/// short move, so applying a diff allocates nothing. Levels past the capacity are dropped (the worst first): the book
/// keeps more levels than it shows, so a delete near the top can be refilled from below.
/// </summary>
public sealed class BookSide
{
    private readonly long[] _prices;
    private readonly long[] _quantities;
    private readonly bool _descending;

    public BookSide(bool bids, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _descending = bids;
        _prices = new long[capacity];
        _quantities = new long[capacity];
    }

    public bool IsBids => _descending;

    public int Count { get; private set; }

    public int Capacity => _prices.Length;

    public Price PriceAt(int level) => Price.FromRaw(_prices[level]);

    public Quantity QuantityAt(int level) => Quantity.FromRaw(_quantities[level]);

    public void Clear() => Count = 0;

    /// <summary>Sets the quantity at <paramref name="price"/>; zero removes the level (removing an absent level is normal).</summary>
    /// <returns>True when the book changed.</returns>
    public bool Apply(Price price, Quantity quantity)
    {
        long p = price.Raw;
        long q = quantity.Raw;
        int index = Find(p);
        if (index >= 0)
        {
            if (q == 0)
            {
                Count--;
                Array.Copy(_prices, index + 1, _prices, index, Count - index);
                Array.Copy(_quantities, index + 1, _quantities, index, Count - index);
                return true;
            }

            bool changed = _quantities[index] != q;
            _quantities[index] = q;
            return changed;
        }

        if (q == 0)
        {
            return false;
        }

        int at = ~index;
        if (at == _prices.Length)
        {
            // Worse than every kept level of a full side: beyond what this book keeps.
            return false;
        }

        int move = Math.Min(Count, _prices.Length - 1) - at;
        if (move > 0)
        {
            Array.Copy(_prices, at, _prices, at + 1, move);
            Array.Copy(_quantities, at, _quantities, at + 1, move);
        }

        _prices[at] = p;
        _quantities[at] = q;
        if (Count < _prices.Length)
        {
            Count++;
        }

        Debug.Assert(IsSorted(), "levels stay sorted best first");
        return true;
    }

    /// <summary>Keeps only the best <paramref name="levels"/> (venues whose checksums cover a fixed depth need this).</summary>
    public void Truncate(int levels)
    {
        if (levels < Count)
        {
            Count = Math.Max(0, levels);
        }
    }

    /// <summary>Index of the level at <paramref name="price"/>, or the bitwise complement of where it would go.</summary>
    private int Find(long price)
    {
        int lo = 0;
        int hi = Count - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long at = _prices[mid];
            if (at == price)
            {
                return mid;
            }

            // Best first: for bids a higher price comes earlier, for asks a lower one.
            bool before = _descending ? at > price : at < price;
            if (before)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    private bool IsSorted()
    {
        for (int i = 1; i < Count; i++)
        {
            if (_descending ? _prices[i - 1] <= _prices[i] : _prices[i - 1] >= _prices[i])
            {
                return false;
            }
        }

        return true;
    }
}
