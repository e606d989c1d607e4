using System.Text;
using BenchmarkDotNet.Attributes;
using MarketFeed.Books;
using MarketFeed.Feeds;
using MarketFeed.Model;
using MarketFeed.Venues.Coinbase;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Applying Coinbase <c>l2_data</c> updates (10 bid and 10 offer changes each, decoded from Coinbase's JSON, stamped as
/// the stream protocol stamps them) to a book of 200 levels a side through <see cref="OrderBook.Apply"/> with the core's
/// update-id continuity, against a baseline that only reads the same updates' levels (the least any book must do).
/// The shape of <see cref="OrderBookBenchmarks"/>, with Coinbase's diffs.
/// </summary>
[MemoryDiagnoser]
public class CoinbaseBookBenchmarks
{
    private const int Diffs = 256;
    private readonly BookUpdate[] _diffs = new BookUpdate[Diffs];
    private OrderBook _book = null!;
    private long _stamp;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var instrument = new InstrumentId(1);
        var products = new CoinbaseProductMap([new("BTC-USD", instrument)]);
        _book = new OrderBook(instrument, new BookOptions(), UpdateIdContinuity.Instance);
        BookUpdate snapshot = BookUpdate.Rent();
        snapshot.Instrument = instrument;
        snapshot.IsSnapshot = true;
        for (int i = 0; i < 200; i++)
        {
            snapshot.AddBid(Price.FromDecimal(91234.56m - (i * 0.01m)), Quantity.FromDecimal(1 + (i % 7)));
            snapshot.AddAsk(Price.FromDecimal(91234.57m + (i * 0.01m)), Quantity.FromDecimal(1 + (i % 5)));
        }

        (snapshot.FirstUpdateId, snapshot.LastUpdateId) = (1, 1);
        _book.Apply(snapshot);
        _stamp = 1;
        var events = new StreamEvents();
        for (int d = 0; d < Diffs; d++)
        {
            events.Clear();
            CoinbaseDecoder.Decode(Encoding.UTF8.GetBytes(CoinbaseDecoderBenchmarks.Level2Frame(d, d % 20)), products, DateTime.UtcNow, events);
            _diffs[d] = events.Books[0];
        }
    }

    [Benchmark(Baseline = true)]
    public long ReadTheDiff()
    {
        BookUpdate diff = Next();
        long sum = 0;
        foreach (BookLevelChange level in diff.Bids)
        {
            sum += level.Price.Raw ^ level.Quantity.Raw;
        }

        foreach (BookLevelChange level in diff.Asks)
        {
            sum += level.Price.Raw ^ level.Quantity.Raw;
        }

        return sum;
    }

    [Benchmark]
    public BookApplyResult ApplyTheDiff()
    {
        // As the protocol stamps a diff on a connection without a break: (0, next stamp].
        BookUpdate diff = Next();
        (diff.FirstUpdateId, diff.LastUpdateId) = (1, ++_stamp);
        return _book.Apply(diff);
    }

    private BookUpdate Next() => _diffs[_next++ & (Diffs - 1)];
}
