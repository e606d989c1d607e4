using System.Text;
using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Venues.Kraken;

namespace MarketFeed.Tests.Venues.Kraken;

/// <summary>
/// Kraken's book CRC32: the text rules (point dropped, leading zeros stripped, trailing zeros kept), the standard
/// CRC-32, the top 10 per side, truncation to the subscribed depth, and the book's resync when a checksum differs.
/// Expected values were computed with zlib's crc32 over the texts written out by hand.
/// </summary>
public class KrakenBookChecksumTests
{
    private static readonly InstrumentId s_pair = new(7);

    [Theory]
    [InlineData("45285.2", 1, "452852")]
    [InlineData("0.00100000", 8, "100000")]
    [InlineData("1.50000000", 8, "150000000")]
    [InlineData("100.00", 2, "10000")]
    [InlineData("0.00000001", 8, "1")]
    public void A_value_is_written_as_its_digits_without_point_or_leading_zeros(string wire, int decimals, string expected)
    {
        Assert.True(FixedPoint.TryParse(wire, out long raw));
        Span<byte> digits = stackalloc byte[20];
        int written = KrakenBookChecksum.Digits(raw / FixedPoint.PowerOfTen(FixedPoint.Scale - decimals), digits);
        Assert.Equal(expected, Encoding.ASCII.GetString(digits[..written]));
    }

    [Fact]
    public void The_crc_is_the_standard_crc_32()
    {
        Assert.Equal(0xCBF43926u, KrakenCrc32.Compute("123456789"u8));
        Assert.Equal(0u, KrakenCrc32.Compute([]));
    }

    [Fact]
    public void A_book_hashes_asks_then_bids_best_first_from_the_wire_text()
    {
        // asks 45285.3×0.00100000, 45286.0×1.50000000, 45290.5×0.00000001; bids 45285.2×0.50000000, 45280.1×2.00000000
        // → "452853100000" "452860150000000" "4529051" "45285250000000" "452801200000000"
        OrderBook book = Book(
            [("45285.2", "0.50000000"), ("45280.1", "2.00000000")],
            [("45285.3", "0.00100000"), ("45286.0", "1.50000000"), ("45290.5", "0.00000001")]);
        Assert.Equal(2425570690u, KrakenBookChecksum.Compute(book.Asks, book.Bids, 1, 8));
    }

    [Fact]
    public void Only_the_top_ten_of_each_side_count()
    {
        var bids = Enumerable.Range(0, 12).Select(i => ($"{99 - i}.{i}0", $"0.{i + 1:D8}")).ToArray();
        var asks = Enumerable.Range(0, 12).Select(i => ($"{100 + i}.{i}0", $"{i + 1}.00000000")).ToArray();
        OrderBook book = Book(bids, asks);
        Assert.Equal(2317239772u, KrakenBookChecksum.Compute(book.Asks, book.Bids, 2, 8));
    }

    [Fact]
    public void A_matching_checksum_keeps_the_book_and_a_wrong_one_makes_it_resync_and_counts()
    {
        var checksum = new KrakenBookChecksum(depth: 10);
        checksum.Observe(1, 8);
        var book = new OrderBook(s_pair, new BookOptions(), checksum);
        BookUpdate snapshot = Update(1, snapshot: true, 2425570690u,
            [("45285.2", "0.50000000"), ("45280.1", "2.00000000")],
            [("45285.3", "0.00100000"), ("45286.0", "1.50000000"), ("45290.5", "0.00000001")]);
        Assert.Equal(BookApplyResult.Applied, book.Apply(snapshot));
        Assert.Equal(BookState.Synced, book.State);

        // The same book after removing the third ask, claimed with the snapshot's checksum: wrong.
        BookUpdate wrong = Update(2, snapshot: false, 2425570690u, [], [("45290.5", "0.00000000")]);
        Assert.Equal(BookApplyResult.ResyncNeeded, book.Apply(wrong));
        Assert.Equal((BookState.Resyncing, 1L, 1L), (book.State, book.ChecksumFailures, checksum.Failures));

        // Diffs kept while resyncing and older than the fresh snapshot are stale when it lands.
        Assert.Equal(BookApplyResult.Buffered, book.Apply(Update(3, snapshot: false, 1u, [], [("45286.0", "0")])));
        Assert.Equal(BookApplyResult.Applied, book.Apply(Update(4, snapshot: true, 2425570690u,
            [("45285.2", "0.50000000"), ("45280.1", "2.00000000")],
            [("45285.3", "0.00100000"), ("45286.0", "1.50000000"), ("45290.5", "0.00000001")])));
        Assert.Equal((BookState.Synced, 1L, 0), (book.State, book.Resyncs, book.Pending));
    }

    [Fact]
    public void Both_sides_are_cut_to_the_subscribed_depth_before_the_check()
    {
        var checksum = new KrakenBookChecksum(depth: 10);
        checksum.Observe(2, 8);
        var bids = Enumerable.Range(0, 12).Select(i => ($"{99 - i}.{i}0", $"0.{i + 1:D8}")).ToArray();
        var asks = Enumerable.Range(0, 12).Select(i => ($"{100 + i}.{i}0", $"{i + 1}.00000000")).ToArray();
        var book = new OrderBook(s_pair, new BookOptions(), checksum);
        Assert.Equal(BookApplyResult.Applied, book.Apply(Update(1, snapshot: true, 2317239772u, bids, asks)));
        Assert.Equal((10, 10), (book.Bids.Count, book.Asks.Count));
    }

    private static OrderBook Book((string Price, string Qty)[] bids, (string Price, string Qty)[] asks)
    {
        var book = new OrderBook(s_pair, new BookOptions(), UpdateIdContinuity.Instance);
        BookUpdate update = Update(1, snapshot: true, null, bids, asks);
        book.Apply(update);
        return book;
    }

    private static BookUpdate Update(long number, bool snapshot, uint? checksum, (string Price, string Qty)[] bids, (string Price, string Qty)[] asks)
    {
        var update = new BookUpdate { Instrument = s_pair, IsSnapshot = snapshot, FirstUpdateId = number, LastUpdateId = number, Checksum = checksum };
        foreach ((string p, string q) in bids)
        {
            update.AddBid(Price.FromDecimal(decimal.Parse(p, System.Globalization.CultureInfo.InvariantCulture)), Quantity.FromDecimal(decimal.Parse(q, System.Globalization.CultureInfo.InvariantCulture)));
        }

        foreach ((string p, string q) in asks)
        {
            update.AddAsk(Price.FromDecimal(decimal.Parse(p, System.Globalization.CultureInfo.InvariantCulture)), Quantity.FromDecimal(decimal.Parse(q, System.Globalization.CultureInfo.InvariantCulture)));
        }

        return update;
    }
}
