using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// One side of an L2 book: at most <see cref="Capacity"/> price levels (raw fixed-point price and quantity side by
/// side), stored worst first so the best level is the last element. Almost every change lands near the top of the
/// book, so a short walk down from the end finds it and the move that follows an insert or delete is short; applying
/// a diff allocates nothing. When the side is full, the worst level is dropped for a better one: the book keeps more
/// levels than it shows, so a delete near the top can be refilled from below.
/// </summary>
public sealed class BookSide
{
    private readonly Level[] _levels;
    private readonly bool _bids;

    public BookSide(bool bids, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _bids = bids;
        _levels = new Level[capacity];
    }

    public bool IsBids => _bids;

    public int Count { get; private set; }

    public int Capacity => _levels.Length;

    /// <summary>The price of level <paramref name="level"/>, 0 being the best.</summary>
    public Price PriceAt(int level) => Price.FromRaw(_levels[Count - 1 - level].Price);

    public Quantity QuantityAt(int level) => Quantity.FromRaw(_levels[Count - 1 - level].Quantity);

    public void Clear() => Count = 0;

    /// <summary>Sets the quantity at <paramref name="price"/>; zero removes the level (removing an absent level is normal).</summary>
    /// <returns>True when the book changed.</returns>
    public bool Apply(Price price, Quantity quantity)
    {
        long p = price.Raw;
        long q = quantity.Raw;
        Span<Level> levels = _levels.AsSpan(0, Count);
        int index = Find(levels, p);
        if (index >= 0)
        {
            if (q == 0)
            {
                levels[(index + 1)..].CopyTo(levels[index..]);
                Count--;
                return true;
            }

            bool changed = levels[index].Quantity != q;
            levels[index].Quantity = q;
            return changed;
        }

        if (q == 0)
        {
            return false;
        }

        int at = ~index;
        if (Count == _levels.Length)
        {
            if (at == 0)
            {
                // Worse than every kept level of a full side: beyond what this book keeps.
                return false;
            }

            // Drop the worst level (index 0) to make room below the insertion point.
            at--;
            levels[1..(at + 1)].CopyTo(levels);
        }
        else
        {
            Span<Level> all = _levels.AsSpan(0, Count + 1);
            all[at..Count].CopyTo(all[(at + 1)..]);
            Count++;
        }

        _levels[at] = new Level(p, q);
        Debug.Assert(IsSorted(), "levels stay sorted worst first");
        return true;
    }

    /// <summary>Keeps only the best <paramref name="levels"/> (venues whose checksums cover a fixed depth need this).</summary>
    public void Truncate(int levels)
    {
        int drop = Count - Math.Max(0, levels);
        if (drop > 0)
        {
            _levels.AsSpan(drop, Count - drop).CopyTo(_levels);
            Count -= drop;
        }
    }

    /// <summary>Index of the level at <paramref name="price"/>, or the bitwise complement of where it would go.</summary>
    private int Find(ReadOnlySpan<Level> levels, long price)
    {
        // Most changes are within a few levels of the best price, which sits at the end: a short walk down from
        // there (predictable branches) beats a binary search over the whole side; deeper levels fall back to it.
        const int Walk = 32;
        int stop = Math.Max(0, levels.Length - Walk);
        int i = levels.Length - 1;

        // Indexes stay within [stop, Length): reading through a ref skips the bounds check on this hot loop.
        ref Level first = ref MemoryMarshal.GetReference(levels);
        if (_bids)
        {
            while (i >= stop && Unsafe.Add(ref first, i).Price > price)
            {
                i--;
            }
        }
        else
        {
            while (i >= stop && Unsafe.Add(ref first, i).Price < price)
            {
                i--;
            }
        }

        if (i >= stop)
        {
            return Unsafe.Add(ref first, i).Price == price ? i : ~(i + 1);
        }

        int lo = 0;
        int hi = stop - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long at = levels[mid].Price;
            if (at == price)
            {
                return mid;
            }

            // Worst first: for bids a lower price comes earlier, for asks a higher one.
            if (_bids ? at < price : at > price)
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
            if (_bids ? _levels[i - 1].Price >= _levels[i].Price : _levels[i - 1].Price <= _levels[i].Price)
            {
                return false;
            }
        }

        return true;
    }

    private record struct Level(long Price, long Quantity);
}
