using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Venues.Kraken;

/// <summary>
/// Kraken's book continuity for one instrument. Kraken numbers nothing on its public channels: each book message
/// carries the CRC32 of the top 10 levels per side after it, built from the price and quantity text exactly as
/// written (the decimal point dropped, leading zeros stripped: <c>45285.2</c> → <c>452852</c>, <c>0.00100000</c> →
/// <c>100000</c>), asks best first, then bids best first. After every snapshot and update both sides are cut to the
/// subscribed depth (Kraken sends no delete for a level pushed out of range) and the checksum is compared; a mismatch
/// makes the <see cref="OrderBook"/> resync. The text is rebuilt from the exact fixed-point value and the number of
/// decimals the venue wrote for this pair, which the decoder records from the frames (<see cref="Observe"/>); Kraken
/// writes every price of a pair with the same decimals (trailing zeros kept), and so every quantity.
/// Messages are ordered by a per-instrument counter the decoder stamps on each (<see cref="BookUpdate.LastUpdateId"/>):
/// what was kept while the book waited for a snapshot and is older than it is stale.
/// </summary>
internal sealed class KrakenBookChecksum(int depth) : IBookContinuity
{
    /// <summary>Levels per side the checksum covers, whatever the subscribed depth.</summary>
    public const int Levels = 10;

    /// <summary>Longest digit run of one value: 19 digits of a 64-bit mantissa.</summary>
    private const int MaxDigits = 20;

    /// <summary>"00" to "99", two ASCII digits each.</summary>
    private static readonly byte[] s_pairs = [.. Enumerable.Range(0, 100).SelectMany(i => new[] { (byte)('0' + (i / 10)), (byte)('0' + (i % 10)) })];

    private readonly long[] _cachedPrices = new long[2 * Levels];
    private readonly long[] _cachedQuantities = new long[2 * Levels];
    private readonly int[] _cachedLengths = new int[2 * Levels];
    private readonly byte[] _cachedText = new byte[2 * Levels * 2 * MaxDigits];
    private int _cachedDecimals = -1;
    private int _decimals = (8 << 8) | 8;
    private long _failures;

    /// <summary>The subscribed depth both sides are cut to.</summary>
    public int Depth { get; } = depth;

    public int PriceDecimals => Volatile.Read(ref _decimals) >> 8;

    public int QuantityDecimals => Volatile.Read(ref _decimals) & 0xFF;

    /// <summary>Checksums that did not match.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Records the decimals the venue wrote for this pair's prices and quantities (0–8 each).</summary>
    public void Observe(int priceDecimals, int quantityDecimals) => Volatile.Write(ref _decimals, (priceDecimals << 8) | quantityDecimals);

    public ContinuityVerdict Admit(OrderBook book, BookUpdate diff) =>
        diff.LastUpdateId <= book.LastUpdateId ? ContinuityVerdict.Stale : ContinuityVerdict.Apply;

    public bool Verify(OrderBook book, BookUpdate update)
    {
        book.Bids.Truncate(Depth);
        book.Asks.Truncate(Depth);
        if (update.Checksum is not { } expected)
        {
            return true;
        }

        if (Checksum(book.Asks, book.Bids) == expected)
        {
            return true;
        }

        Interlocked.Increment(ref _failures);
        return false;
    }

    /// <summary>
    /// The checksum of this instrument's book, as <see cref="Compute"/>, keeping each of the 20 levels' text from the
    /// last call: an update changes a few levels, so most are not written out again. Called by the book's single writer.
    /// </summary>
    public uint Checksum(BookSide asks, BookSide bids)
    {
        int decimals = Volatile.Read(ref _decimals);
        if (decimals != _cachedDecimals)
        {
            Array.Clear(_cachedPrices);
            _cachedDecimals = decimals;
        }

        long priceUnit = FixedPoint.PowerOfTen(FixedPoint.Scale - (decimals >> 8));
        long quantityUnit = FixedPoint.PowerOfTen(FixedPoint.Scale - (decimals & 0xFF));
        uint crc = KrakenCrc32.Start;
        crc = Side(asks, 0, priceUnit, quantityUnit, crc);
        crc = Side(bids, Levels, priceUnit, quantityUnit, crc);
        return KrakenCrc32.Finish(crc);
    }

    private uint Side(BookSide side, int first, long priceUnit, long quantityUnit, uint crc)
    {
        int count = Math.Min(Levels, side.Count);
        for (int level = 0; level < count; level++)
        {
            int slot = first + level;
            long price = side.PriceAt(level).Raw;
            long quantity = side.QuantityAt(level).Raw;
            Span<byte> text = _cachedText.AsSpan(slot * 2 * MaxDigits, 2 * MaxDigits);
            if (_cachedPrices[slot] != price || _cachedQuantities[slot] != quantity)
            {
                int length = Digits(price / priceUnit, text);
                _cachedLengths[slot] = length + Digits(quantity / quantityUnit, text[length..]);
                (_cachedPrices[slot], _cachedQuantities[slot]) = (price, quantity);
            }

            crc = KrakenCrc32.Append(crc, text[.._cachedLengths[slot]]);
        }

        return crc;
    }

    /// <summary>The checksum of the top <see cref="Levels"/> of each side (fewer when a side is thinner).</summary>
    public static uint Compute(BookSide asks, BookSide bids, int priceDecimals, int quantityDecimals)
    {
        long priceUnit = FixedPoint.PowerOfTen(FixedPoint.Scale - priceDecimals);
        long quantityUnit = FixedPoint.PowerOfTen(FixedPoint.Scale - quantityDecimals);
        Span<byte> text = stackalloc byte[2 * Levels * 2 * MaxDigits];
        int length = 0;
        int count = Math.Min(Levels, asks.Count);
        for (int level = 0; level < count; level++)
        {
            length += Digits(asks.PriceAt(level).Raw / priceUnit, text[length..]);
            length += Digits(asks.QuantityAt(level).Raw / quantityUnit, text[length..]);
        }

        count = Math.Min(Levels, bids.Count);
        for (int level = 0; level < count; level++)
        {
            length += Digits(bids.PriceAt(level).Raw / priceUnit, text[length..]);
            length += Digits(bids.QuantityAt(level).Raw / quantityUnit, text[length..]);
        }

        return KrakenCrc32.Compute(text[..length]);
    }

    /// <summary>
    /// Kraken's text of one value: the digits of the wire text without its point and leading zeros, i.e. the decimal
    /// digits of the mantissa. Zero has none.
    /// </summary>
    public static int Digits(long mantissa, Span<byte> destination)
    {
        if (mantissa <= 0)
        {
            return 0;
        }

        ulong value = (ulong)mantissa;
        int count = CountDigits(value);
        ReadOnlySpan<byte> pairs = s_pairs;
        int at = count;
        while (value >= 100)
        {
            (value, ulong pair) = Math.DivRem(value, 100);
            at -= 2;
            destination[at] = pairs[(int)pair * 2];
            destination[at + 1] = pairs[((int)pair * 2) + 1];
        }

        if (value >= 10)
        {
            destination[0] = pairs[(int)value * 2];
            destination[1] = pairs[((int)value * 2) + 1];
        }
        else
        {
            destination[0] = (byte)('0' + value);
        }

        return count;
    }

    private static int CountDigits(ulong value)
    {
        int count = 1;
        for (ulong limit = 10; value >= limit && count < 20; limit *= 10)
        {
            count++;
            if (limit > ulong.MaxValue / 10)
            {
                break;
            }
        }

        return count;
    }
}
