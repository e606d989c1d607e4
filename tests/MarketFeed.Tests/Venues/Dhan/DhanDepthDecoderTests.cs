using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Venues.Dhan;

namespace MarketFeed.Tests.Venues.Dhan;

/// <summary>The 20-level depth feed: 12-byte header, float64 rows, bid and ask packets merged per instrument.</summary>
public class DhanDepthDecoderTests
{
    private static readonly InstrumentId s_tcs = new(7);
    private readonly DhanSecurityMap _map = new([(DhanSegment.NseEquity, 11536, s_tcs, Price.FromDecimal(0.05m))]);
    private readonly DhanDepthSides _sides = new();

    private static List<DepthLevel> Levels(decimal best, int step, int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DepthLevel(Price.FromDecimal(best + (step * 0.05m * i)), Quantity.FromUnits(10 + i), 1))];

    private (DhanDepthDecoder.Result Result, List<BookUpdate> Books, int Unknown) Decode(byte[] frame)
    {
        var books = new List<BookUpdate>();
        int unknown = 0;
        DhanDepthDecoder.Result result = DhanDepthDecoder.DecodeFrame(frame, _map, _sides, default, books, () => unknown++);
        return (result, books, unknown);
    }

    [Fact]
    public void Bid_and_ask_packets_back_to_back_make_one_snapshot_of_both_sides()
    {
        byte[] frame = DhanEncoder.Frame([
            DhanDepthEncoder.Side(DhanDepthPacket.Bid, DhanSegment.NseEquity, 11536, 1, Levels(3499.95m, -1, 20)),
            DhanDepthEncoder.Side(DhanDepthPacket.Ask, DhanSegment.NseEquity, 11536, 1, Levels(3500.05m, 1, 20))]);
        Assert.Equal(332 * 2, frame.Length);
        (DhanDepthDecoder.Result result, List<BookUpdate> books, _) = Decode(frame);
        Assert.True(result.WellFormed);
        BookUpdate book = Assert.Single(books);
        Assert.Equal((s_tcs, true, 20, 20), (book.Instrument, book.IsSnapshot, book.BidCount, book.AskCount));
        Assert.Equal((Price.FromDecimal(3499.95m), Price.FromDecimal(3500.05m)), (book.Bids[0].Price, book.Asks[0].Price));
        Assert.Equal(Price.FromDecimal(3499.0m), book.Bids[19].Price);
    }

    [Fact]
    public void One_side_alone_is_merged_with_the_other_sides_last_state_and_empty_rows_end_a_side()
    {
        Decode(DhanDepthEncoder.Side(DhanDepthPacket.Ask, DhanSegment.NseEquity, 11536, 1, Levels(3500.05m, 1, 20)));
        (_, List<BookUpdate> books, _) = Decode(DhanDepthEncoder.Side(DhanDepthPacket.Bid, DhanSegment.NseEquity, 11536, 2, Levels(3499.9m, -1, 3)));
        BookUpdate book = Assert.Single(books);
        Assert.Equal((3, 20), (book.BidCount, book.AskCount));
    }

    [Fact]
    public void Wrong_lengths_and_unknown_securities_are_counted_and_the_disconnect_reason_is_read_after_the_header()
    {
        byte[] good = DhanDepthEncoder.Side(DhanDepthPacket.Bid, DhanSegment.NseEquity, 11536, 1, Levels(3499.95m, -1, 20));
        byte[] unknown = DhanDepthEncoder.Side(DhanDepthPacket.Bid, DhanSegment.NseFno, 1, 1, Levels(10m, -1, 20));
        byte[] shortPacket = good[..100];
        BitConverter.TryWriteBytes(shortPacket.AsSpan(0, 2), (short)100);
        (DhanDepthDecoder.Result result, List<BookUpdate> books, int unknownCount) = Decode(DhanEncoder.Frame([shortPacket, unknown, good]));
        Assert.Equal((1, 1, 1), (result.Bad, unknownCount, books.Count));
        Assert.False(result.WellFormed);
        Assert.Equal(807, Decode(DhanDepthEncoder.Disconnect(807)).Result.Disconnect);
    }
}
