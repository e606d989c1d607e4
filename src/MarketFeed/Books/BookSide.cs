using System.Diagnostics;
using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// One side of an L2 book: at most <see cref="Capacity"/> price levels in two parallel arrays of raw fixed-point
/// values, stored worst first so the best level is the last element. Almost every change lands near the top of the
/// book, so storing it at the end of the arrays keeps the move after a binary search short; applying a diff
/// allocates nothing. When the side is full, the worst level is dropped for a better one: the book keeps more levels
/// than it shows, so a delete near the top can be refilled from below.
/// </summary>
public sealed class BookSide
{
    private readonly long[] _prices;
    private readonly long[] _quantities;
    private readonly bool _bids;

    // Moves are short (near the top of the book): a plain loop beats Array.Copy's fixed cost there.
    private static void Move(long[] array, int from, int to, int count)
    {
        if (count > 16)
        {
            Array.Copy(array, from, array, to, count);
        }
        else if (to > from)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                array[to + i] = array[from + i];
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                array[to + i] = array[from + i];
            }
        }
    }

    public BookSide(bool bids, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _bids = bids;
        _prices = new long[capacity];
        _quantities = new long[capacity];
    }

    public bool IsBids => _bids;

    public int Count { get; private set; }

    public int Capacity => _prices.Length;

    /// <summary>The price of level <paramref name="level"/>, 0 being the best.</summary>
    public Price PriceAt(int level) => Price.FromRaw(_prices[Count - 1 - level]);

    public Quantity QuantityAt(int level) => Quantity.FromRaw(_quantities[Count - 1 - level]);

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
                Move(_prices, index + 1, index, Count - index);
                Move(_quantities, index + 1, index, Count - index);
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
        if (Count == _prices.Length)
        {
            if (at == 0)
            {
                // Worse than every kept level of a full side: beyond what this book keeps.
                return false;
            }

            // Drop the worst level (index 0) to make room below the insertion point.
            at--;
            Move(_prices, 1, 0, at);
            Move(_quantities, 1, 0, at);
        }
        else
        {
            Move(_prices, at, at + 1, Count - at);
            Move(_quantities, at, at + 1, Count - at);
            Count++;
        }

        _prices[at] = p;
        _quantities[at] = q;
        Debug.Assert(IsSorted(), "levels stay sorted worst first");
        return true;
    }

    /// <summary>Keeps only the best <paramref name="levels"/> (venues whose checksums cover a fixed depth need this).</summary>
    public void Truncate(int levels)
    {
        int drop = Count - Math.Max(0, levels);
        if (drop > 0)
        {
            Count -= drop;
            Array.Copy(_prices, drop, _prices, 0, Count);
            Array.Copy(_quantities, drop, _quantities, 0, Count);
        }
    }

    /// <summary>Index of the level at <paramref name="price"/>, or the bitwise complement of where it would go.</summary>
    private int Find(long price)
    {
        // Most changes are within a few levels of the best price, which sits at the end: a short linear walk down
        // from there (predictable branches) beats a binary search over the whole side; deeper levels fall back to it.
        const int Walk = 32;
        int stop = Math.Max(0, Count - Walk);
        int i = Count - 1;
        if (_bids)
        {
            while (i >= stop && _prices[i] > price)
            {
                i--;
            }
        }
        else
        {
            while (i >= stop && _prices[i] < price)
            {
                i--;
            }
        }

        if (i >= stop)
        {
            return _prices[i] == price ? i : ~(i + 1);
        }

        int lo = 0;
        int hi = stop - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long at = _prices[mid];
            if (at == price)
            {
                return mid;
            }

            // Worst first: for bids a lower price comes earlier, for asks a higher one.
            bool before = _bids ? at < price : at > price;
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
            if (_bids ? _prices[i - 1] >= _prices[i] : _prices[i - 1] <= _prices[i])
            {
                return false;
            }
        }

        return true;
    }
}
