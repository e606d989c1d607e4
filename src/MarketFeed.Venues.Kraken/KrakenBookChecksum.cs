using System.Globalization;
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

        int decimals = Volatile.Read(ref _decimals);
        if (Compute(book.Asks, book.Bids, decimals >> 8, decimals & 0xFF) == expected)
        {
            return true;
        }

        Interlocked.Increment(ref _failures);
        return false;
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
    public static int Digits(long mantissa, Span<byte> destination) =>
        mantissa > 0 && ((ulong)mantissa).TryFormat(destination, out int written, default, CultureInfo.InvariantCulture) ? written : 0;
}
