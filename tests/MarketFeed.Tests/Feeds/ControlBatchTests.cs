using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Tests.Feeds;

public class ControlBatchTests
{
    private static readonly InstrumentId s_a = new(1);
    private static readonly InstrumentId s_b = new(2);
    private static readonly InstrumentId s_c = new(3);

    [Fact]
    public void A_burst_of_changes_drains_per_connection_with_the_latest_mode_and_unsubscribes_first()
    {
        var batch = new ControlBatch();
        batch.Subscribe(1, s_c, FeedMode.Ltp);
        batch.Subscribe(0, s_a, FeedMode.Ltp);
        batch.Subscribe(0, s_b, FeedMode.Quote);
        batch.Subscribe(0, s_a, FeedMode.Full);
        batch.Unsubscribe(1, s_b);

        var drained = batch.Drain();
        Assert.True(batch.IsEmpty);
        Assert.Equal([0, 1], drained.Select(d => d.Shard));
        Assert.Equal([new DesiredSubscription(s_a, FeedMode.Full), new DesiredSubscription(s_b, FeedMode.Quote)], drained[0].Subscribe);
        Assert.Empty(drained[0].Unsubscribe);
        Assert.Equal([s_b], drained[1].Unsubscribe);
        Assert.Equal([new DesiredSubscription(s_c, FeedMode.Ltp)], drained[1].Subscribe);
        Assert.Empty(batch.Drain());
    }

    [Fact]
    public void An_instrument_dropped_in_the_burst_that_added_it_is_not_subscribed()
    {
        var batch = new ControlBatch();
        batch.Subscribe(0, s_a, FeedMode.Quote);
        batch.Unsubscribe(0, s_a);
        (int shard, InstrumentId[] unsubscribe, DesiredSubscription[] subscribe) = Assert.Single(batch.Drain());
        Assert.Equal(0, shard);
        Assert.Equal([s_a], unsubscribe);
        Assert.Empty(subscribe);
    }
}
