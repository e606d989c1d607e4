using BenchmarkDotNet.Attributes;
using MarketFeed.Books;
using MarketFeed.Model;
using MarketFeed.Venues.Kraken;

namespace MarketFeed.Benchmarks;

/// <summary>
/// What Kraken's checksum costs per book update, next to the apply it guards: a book of 25 levels a side (a depth-25
/// subscription) takes updates of 2 bid and 2 ask changes near the top (Kraken sends a few levels per update), through
/// <see cref="OrderBook.Apply"/> (the baseline), and then the CRC32 of the top 10 + 10 levels rebuilt from the book's exact
/// values and the pair's decimals as written (<see cref="KrakenBookChecksum.Checksum"/>, which keeps each level's text
/// from the message before), measured as apply + checksum: the checksum's cost is the difference.
/// </summary>
[MemoryDiagnoser]
public class KrakenChecksumBenchmarks
{
    private const int Updates = 256;
    private readonly BookUpdate[] _updates = new BookUpdate[Updates];
    private readonly KrakenBookChecksum _checksum = new(depth: 25);
    private OrderBook _book = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var instrument = new InstrumentId(1);
        _book = new OrderBook(instrument, new BookOptions { Depth = 25, LevelsKept = 25 }, UpdateIdContinuity.Instance);
        BookUpdate snapshot = BookUpdate.Rent();
        snapshot.Instrument = instrument;
        snapshot.IsSnapshot = true;
        for (int i = 0; i < 25; i++)
        {
            // 91234.5 and down / 91234.6 and up, one tick (0.1) apart; quantities with 8 decimals.
            snapshot.AddBid(Price.FromRaw((912_345 - i) * 1_000_000_0L), Quantity.FromRaw(12_500_000L * (1 + (i % 7))));
            snapshot.AddAsk(Price.FromRaw((912_346 + i) * 1_000_000_0L), Quantity.FromRaw(50_000_000L * (1 + (i % 5))));
        }

        _book.Apply(snapshot);
        _checksum.Observe(1, 8);
        var random = new Random(3);
        for (int u = 0; u < Updates; u++)
        {
            BookUpdate update = BookUpdate.Rent();
            update.Instrument = instrument;
            for (int level = 0; level < 2; level++)
            {
                long bid = (912_345 - random.Next(0, 12)) * 1_000_000_0L;
                long ask = (912_346 + random.Next(0, 12)) * 1_000_000_0L;
                update.AddBid(Price.FromRaw(bid), random.Next(4) == 0 ? Quantity.Zero : Quantity.FromRaw(random.Next(1, 5_000) * 100_000L));
                update.AddAsk(Price.FromRaw(ask), random.Next(4) == 0 ? Quantity.Zero : Quantity.FromRaw(random.Next(1, 5_000) * 100_000L));
            }

            _updates[u] = update;
        }
    }

    [Benchmark(Baseline = true)]
    public BookApplyResult ApplyTheUpdate()
    {
        BookUpdate update = _updates[_next++ & (Updates - 1)];
        update.FirstUpdateId = _book.LastUpdateId + 1;
        update.LastUpdateId = _book.LastUpdateId + 1;
        return _book.Apply(update);
    }

    /// <summary>The same apply, then the checksum of the book it left (what every Kraken book message costs).</summary>
    [Benchmark]
    public uint ApplyTheUpdateAndChecksum()
    {
        ApplyTheUpdate();
        return _checksum.Checksum(_book.Asks, _book.Bids);
    }
}
