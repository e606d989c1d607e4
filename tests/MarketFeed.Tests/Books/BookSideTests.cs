using MarketFeed.Books;
using MarketFeed.Model;

namespace MarketFeed.Tests.Books;

public class BookSideTests
{
    private static Price P(decimal value) => Price.FromDecimal(value);

    private static Quantity Q(decimal value) => Quantity.FromDecimal(value);

    private static decimal[] Prices(BookSide side) => [.. Enumerable.Range(0, side.Count).Select(i => side.PriceAt(i).ToDecimal())];

    [Fact]
    public void Bids_are_kept_highest_first_and_asks_lowest_first_whatever_the_order_of_changes()
    {
        var bids = new BookSide(bids: true, capacity: 10);
        var asks = new BookSide(bids: false, capacity: 10);
        foreach (decimal price in new[] { 100.1m, 100.3m, 100.2m, 99.9m })
        {
            bids.Apply(P(price), Q(1));
            asks.Apply(P(price + 1), Q(1));
        }

        Assert.Equal([100.3m, 100.2m, 100.1m, 99.9m], Prices(bids));
        Assert.Equal([100.9m, 101.1m, 101.2m, 101.3m], Prices(asks));
    }

    [Fact]
    public void Zero_removes_a_level_an_absent_zero_changes_nothing_and_a_quantity_is_replaced_not_added()
    {
        var side = new BookSide(bids: true, capacity: 10);
        side.Apply(P(10), Q(5));
        side.Apply(P(9), Q(5));
        Assert.True(side.Apply(P(10), Q(7)));
        Assert.Equal(Q(7), side.QuantityAt(0));
        Assert.False(side.Apply(P(10), Q(7)));
        Assert.False(side.Apply(P(8), Q(0)));
        Assert.True(side.Apply(P(10), Q(0)));
        Assert.Equal([9m], Prices(side));
    }

    [Fact]
    public void A_full_side_drops_its_worst_level_for_a_better_one_and_ignores_worse_ones()
    {
        var asks = new BookSide(bids: false, capacity: 3);
        asks.Apply(P(101), Q(1));
        asks.Apply(P(102), Q(1));
        asks.Apply(P(103), Q(1));
        Assert.False(asks.Apply(P(104), Q(1)));
        Assert.True(asks.Apply(P(100), Q(1)));
        Assert.Equal([100m, 101m, 102m], Prices(asks));
        asks.Truncate(2);
        Assert.Equal([100m, 101m], Prices(asks));
    }

    [Theory]
    [InlineData(true, 1000)]
    [InlineData(false, 1000)]
    [InlineData(true, 37)]
    [InlineData(false, 37)]
    public void Random_changes_match_a_sorted_dictionary_model(bool bids, int capacity)
    {
        // Changes land anywhere in 400 prices, so both the scan from the top and the binary search below it are
        // exercised; with a small capacity the side is full and drops its worst levels, as the model does.
        var random = new Random(7);
        var side = new BookSide(bids, capacity);
        var model = new SortedDictionary<long, long>(Comparer<long>.Create((a, b) => bids ? b.CompareTo(a) : a.CompareTo(b)));
        for (int i = 0; i < 20_000; i++)
        {
            long price = random.Next(1, 400) * 5_000_000L;
            long quantity = random.Next(0, 3) == 0 ? 0 : random.Next(1, 1000) * 100_000_000L;
            side.Apply(Price.FromRaw(price), Quantity.FromRaw(quantity));
            if (quantity == 0)
            {
                model.Remove(price);
            }
            else if (model.ContainsKey(price) || model.Count < capacity)
            {
                model[price] = quantity;
            }
            else if (model.Comparer.Compare(price, model.Keys.Last()) < 0)
            {
                model.Remove(model.Keys.Last());
                model[price] = quantity;
            }
        }

        Assert.Equal(model.Keys, Enumerable.Range(0, side.Count).Select(i => side.PriceAt(i).Raw));
        Assert.Equal(model.Values, Enumerable.Range(0, side.Count).Select(i => side.QuantityAt(i).Raw));
    }
}
