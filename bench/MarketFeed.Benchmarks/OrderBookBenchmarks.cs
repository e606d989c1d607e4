using BenchmarkDotNet.Attributes;
using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Benchmarks;

/// <summary>
/// Applying a 20-level depth diff (10 bid and 10 ask changes: updates, inserts and deletes near the top, as a busy
/// crypto book sends every 100 ms) to a book of 20 shown / 200 kept levels, against a baseline that only reads the
/// same diff's levels and sums them (the least any book must do with a diff).
/// </summary>
[MemoryDiagnoser]
public class OrderBookBenchmarks
{
    private const int Diffs = 256;
    private readonly BookUpdate[] _diffs = new BookUpdate[Diffs];
    private OrderBook _book = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var instrument = new InstrumentId(1);
        _book = new OrderBook(instrument, new BookOptions(), UpdateIdContinuity.Instance);
        BookUpdate snapshot = BookUpdate.Rent();
        snapshot.Instrument = instrument;
        snapshot.IsSnapshot = true;
        for (int i = 0; i < 100; i++)
        {
            snapshot.AddBid(Price.FromRaw((50_000_00 - i) * 1_000_000L), Quantity.FromDecimal(1 + (i % 7)));
            snapshot.AddAsk(Price.FromRaw((50_000_01 + i) * 1_000_000L), Quantity.FromDecimal(1 + (i % 5)));
        }

        _book.Apply(snapshot);
        var random = new Random(3);
        for (int d = 0; d < Diffs; d++)
        {
            BookUpdate diff = BookUpdate.Rent();
            diff.Instrument = instrument;
            for (int level = 0; level < 10; level++)
            {
                // Around the top: a third of the changes remove a level, the rest set a quantity (update or insert).
                long bid = (50_000_00 - random.Next(0, 30)) * 1_000_000L;
                long ask = (50_000_01 + random.Next(0, 30)) * 1_000_000L;
                diff.AddBid(Price.FromRaw(bid), random.Next(3) == 0 ? Quantity.Zero : Quantity.FromDecimal(random.Next(1, 50)));
                diff.AddAsk(Price.FromRaw(ask), random.Next(3) == 0 ? Quantity.Zero : Quantity.FromDecimal(random.Next(1, 50)));
            }

            _diffs[d] = diff;
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
        BookUpdate diff = Next();
        diff.FirstUpdateId = _book.LastUpdateId + 1;
        diff.LastUpdateId = _book.LastUpdateId + 1;
        return _book.Apply(diff);
    }

    private BookUpdate Next() => _diffs[_next++ & (Diffs - 1)];
}
