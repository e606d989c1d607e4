using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MarketFeed.Model;

namespace MarketFeed.Books;

/// <summary>
/// One side of an L2 book: at most <see cref="Capacity"/> price levels (raw fixed-point prices and quantities in two
/// parallel arrays), stored worst first so the best level is the last element. Almost every change lands near the top
/// of the book, so a short vectorised scan down from the end finds it and the move that follows an insert or delete
/// is short; applying a diff allocates nothing. When the side is full, the worst level is dropped for a better one:
/// the book keeps more levels than it shows, so a delete near the top can be refilled from below.
/// </summary>
public sealed class BookSide
{
    /// <summary>How many levels from the top are scanned before falling back to a binary search.</summary>
    private const int Walk = 32;

    /// <summary>Moves of up to this many levels are done element by element.</summary>
    private const int ShortMove = 16;

    private readonly long[] _prices;
    private readonly long[] _quantities;
    private readonly bool _bids;

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
        int count = Count;
        int index = Find(p, count);
        if (index >= 0)
        {
            if (q == 0)
            {
                // Deleting near the top moves only the few better levels above it.
                MoveDown(index + 1, count, 1);
                Count = count - 1;
                return true;
            }

            ref long kept = ref _quantities[index];
            bool changed = kept != q;
            kept = q;
            return changed;
        }

        if (q == 0)
        {
            return false;
        }

        int at = ~index;
        if (count == _prices.Length)
        {
            if (at == 0)
            {
                // Worse than every kept level of a full side: beyond what this book keeps.
                return false;
            }

            // Drop the worst level (index 0) to make room below the insertion point.
            at--;
            MoveDown(1, at + 1, 1);
        }
        else
        {
            MoveUp(at, count);
            Count = count + 1;
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
            MoveDown(drop, Count, drop);
            Count -= drop;
        }
    }

    /// <summary>Moves levels <c>[from, to)</c> down by <paramref name="by"/> places.</summary>
    private void MoveDown(int from, int to, int by)
    {
        // Changes near the top move a handful of levels: an element loop beats two memmove calls for those.
        if (to - from <= ShortMove)
        {
            ref long prices = ref MemoryMarshal.GetArrayDataReference(_prices);
            ref long quantities = ref MemoryMarshal.GetArrayDataReference(_quantities);
            Debug.Assert(from >= by && to <= _prices.Length, "moves stay inside the arrays");
            for (int i = from; i < to; i++)
            {
                Unsafe.Add(ref prices, i - by) = Unsafe.Add(ref prices, i);
                Unsafe.Add(ref quantities, i - by) = Unsafe.Add(ref quantities, i);
            }

            return;
        }

        _prices.AsSpan(from, to - from).CopyTo(_prices.AsSpan(from - by));
        _quantities.AsSpan(from, to - from).CopyTo(_quantities.AsSpan(from - by));
    }

    /// <summary>Moves levels <c>[from, to)</c> up by one place.</summary>
    private void MoveUp(int from, int to)
    {
        if (to - from <= ShortMove)
        {
            ref long prices = ref MemoryMarshal.GetArrayDataReference(_prices);
            ref long quantities = ref MemoryMarshal.GetArrayDataReference(_quantities);
            Debug.Assert(from >= 0 && to < _prices.Length, "moves stay inside the arrays");
            for (int i = to; i > from; i--)
            {
                Unsafe.Add(ref prices, i) = Unsafe.Add(ref prices, i - 1);
                Unsafe.Add(ref quantities, i) = Unsafe.Add(ref quantities, i - 1);
            }

            return;
        }

        _prices.AsSpan(from, to - from).CopyTo(_prices.AsSpan(from + 1));
        _quantities.AsSpan(from, to - from).CopyTo(_quantities.AsSpan(from + 1));
    }

    /// <summary>Index of the level at <paramref name="price"/>, or the bitwise complement of where it would go.</summary>
    private int Find(long price, int count)
    {
        // Prices are sorted worst first, so the levels better than the target form a suffix: counting them from the
        // end gives the position. Most changes are within a few levels of the top, so the count runs four prices at a
        // time down from the end and stops at the first block that is not entirely better; past Walk levels a binary
        // search takes over.
        int stop = Math.Max(0, count - Walk);
        int i = count;

        // Indexes stay within [stop, count): reading through a ref skips the bounds checks on this hot loop.
        ref long first = ref MemoryMarshal.GetArrayDataReference(_prices);
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<long> target = Vector256.Create(price);
            while (i - stop >= Vector256<long>.Count)
            {
                Vector256<long> block = Vector256.LoadUnsafe(ref first, (nuint)(i - Vector256<long>.Count));
                Vector256<long> better = _bids ? Vector256.GreaterThan(block, target) : Vector256.LessThan(block, target);
                uint mask = better.ExtractMostSignificantBits();
                if (mask != (1u << Vector256<long>.Count) - 1)
                {
                    return At(ref first, i - BitOperations.PopCount(mask), price);
                }

                i -= Vector256<long>.Count;
            }
        }

        while (i > stop && (_bids ? Unsafe.Add(ref first, i - 1) > price : Unsafe.Add(ref first, i - 1) < price))
        {
            i--;
        }

        return i > stop || stop == 0 ? At(ref first, i, price) : BinarySearch(price, stop);
    }

    /// <summary>With every level from <paramref name="end"/> on better than the price: the level just below, or where it goes.</summary>
    private static int At(ref long first, int end, long price) =>
        end > 0 && Unsafe.Add(ref first, end - 1) == price ? end - 1 : ~end;

    private int BinarySearch(long price, int end)
    {
        int lo = 0;
        int hi = end - 1;
        while (lo <= hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            long at = _prices[mid];
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
            if (_bids ? _prices[i - 1] >= _prices[i] : _prices[i - 1] <= _prices[i])
            {
                return false;
            }
        }

        return true;
    }
}
