using MarketFeed.Hub;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;

namespace MarketFeed.Tests.Hub;

/// <summary>Events that update part of a quote (a trade, a book ticker) are merged into the latest state, each kind in its own order.</summary>
public class PartialUpdateTests
{
    private static Tick Trade(HubFixture f, long tradeId, decimal price, DateTime at) => new(f.Btc.Id)
    {
        Updates = TickFields.Trade, VenueSequence = tradeId, Ltp = Price.FromDecimal(price), Ltq = Quantity.FromDecimal(0.5m),
        ExchangeTime = at, ReceiveTime = f.Now, Flags = TickFlags.Trade, Mode = FeedMode.Full,
    };

    private static Tick Top(HubFixture f, long updateId, decimal bid, decimal ask, DateTime at) => new(f.Btc.Id)
    {
        Updates = TickFields.TopOfBook, VenueSequence = updateId, Bid = Price.FromDecimal(bid), BidQty = Quantity.FromDecimal(1),
        Ask = Price.FromDecimal(ask), AskQty = Quantity.FromDecimal(2), ExchangeTime = at, ReceiveTime = f.Now, Mode = FeedMode.Full,
    };

    [Fact]
    public async Task A_trade_keeps_the_last_bid_and_ask_and_a_book_update_keeps_the_last_trade()
    {
        await using var f = new HubFixture();
        HubSubscriber watcher = f.Watch(f.Btc);
        await f.PublishAsync(Top(f, 100, 89_999m, 90_001m, f.Now));
        Tick first = HubFixture.Drain(watcher).Single();
        Assert.False(first.Ltp.HasValue, "no trade yet: the last price is absent, never 0");
        Assert.False(first.Volume.HasValue);

        await f.PublishAsync(Trade(f, 7, 90_000m, f.Now), Top(f, 101, 89_998m, 90_002m, f.Now));
        List<Tick> ticks = HubFixture.Drain(watcher);
        Assert.Equal((TickFields.Trade, 90_000m, 89_999m, 90_001m), (ticks[0].Updates, ticks[0].Ltp.ToDecimal(), ticks[0].Bid.ToDecimal(), ticks[0].Ask.ToDecimal()));
        Assert.Equal((TickFields.TopOfBook, 90_000m, 89_998m, 90_002m), (ticks[1].Updates, ticks[1].Ltp.ToDecimal(), ticks[1].Bid.ToDecimal(), ticks[1].Ask.ToDecimal()));
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Btc.Id, out Tick latest));
        Assert.Equal((90_000m, 89_998m), (latest.Ltp.ToDecimal(), latest.Bid.ToDecimal()));
    }

    [Fact]
    public async Task Each_kind_is_ordered_by_its_own_ids_so_interleaved_streams_never_look_late_and_repeats_are_dropped()
    {
        await using var f = new HubFixture();
        HubSubscriber watcher = f.Watch(f.Btc);
        DateTime t0 = f.Now;

        // The book stream runs ahead in time of the trade stream: neither is late by the other's clock.
        await f.PublishAsync(Top(f, 500, 89_999m, 90_001m, t0.AddMilliseconds(50)), Trade(f, 7, 90_000m, t0), Trade(f, 8, 90_000.5m, t0.AddMilliseconds(10)));

        // A repeated trade id (two connections overlapping in a handover) is a duplicate; an older one is out of order.
        await f.PublishAsync(Trade(f, 8, 90_000.5m, t0.AddMilliseconds(10)), Trade(f, 6, 89_990m, t0), Top(f, 499, 1m, 2m, t0));
        List<Tick> ticks = HubFixture.Drain(watcher);
        Assert.Equal(5, ticks.Count);
        Assert.All(ticks.Take(3), t => Assert.Equal(TickFlags.None, t.Flags & TickFlags.OutOfOrder));
        Assert.All(ticks.Skip(3), t => Assert.Equal(TickFlags.OutOfOrder, t.Flags & TickFlags.OutOfOrder));
        Assert.Equal(1, f.Hub.Quality().DroppedDuplicate);
        Assert.True(f.Hub.Quotes.TryGetLatest(f.Btc.Id, out Tick latest));
        Assert.Equal((90_000.5m, 89_999m), (latest.Ltp.ToDecimal(), latest.Bid.ToDecimal()));
    }
}
