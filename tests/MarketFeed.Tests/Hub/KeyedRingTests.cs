using MarketFeed.Hub;

namespace MarketFeed.Tests.Hub;

public class KeyedRingTests
{
    [Fact]
    public void Conflating_replaces_the_pending_item_in_place()
    {
        var ring = new KeyedRing<int>(int.MaxValue);
        ring.Enqueue(1, 10, conflate: true);
        ring.Enqueue(2, 20, conflate: true);
        Assert.Equal(EnqueueOutcome.Conflated, ring.Enqueue(1, 11, conflate: true));
        Assert.Equal([11, 20], Drain(ring));
    }

    [Fact]
    public void At_capacity_the_oldest_is_dropped()
    {
        var ring = new KeyedRing<int>(3);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(EnqueueOutcome.Added, ring.Enqueue(i, i, conflate: false));
        }

        Assert.Equal(EnqueueOutcome.DroppedOldest, ring.Enqueue(9, 9, conflate: false));
        Assert.Equal([1, 2, 9], Drain(ring));
    }

    [Fact]
    public void After_unpin_a_new_item_with_the_key_queues_behind_instead_of_replacing()
    {
        var ring = new KeyedRing<int>(int.MaxValue);
        ring.Enqueue(1, 10, conflate: true);
        ring.Unpin(1);
        ring.Enqueue(1, 11, conflate: false);
        ring.Enqueue(1, 12, conflate: true);
        ring.Enqueue(1, 13, conflate: true);
        Assert.Equal([10, 11, 13], Drain(ring));
    }

    [Fact]
    public void Grows_past_its_initial_size_keeping_order_and_conflation()
    {
        var ring = new KeyedRing<int>(int.MaxValue);
        for (int i = 0; i < 100; i++)
        {
            ring.Enqueue(i, i, conflate: true);
        }

        ring.Enqueue(50, 5000, conflate: true);
        List<int> drained = Drain(ring);
        Assert.Equal(100, drained.Count);
        Assert.Equal(5000, drained[50]);
    }

    [Fact]
    public void Remove_where_purges_matching_keys_and_keeps_conflation_of_the_rest()
    {
        var ring = new KeyedRing<int>(int.MaxValue);
        ring.Enqueue(1, 10, conflate: true);
        ring.Enqueue(2, 20, conflate: true);
        ring.Enqueue(1, 11, conflate: false);
        ring.Enqueue(3, 30, conflate: true);
        Assert.Equal(2, ring.RemoveWhere(k => k == 1));
        Assert.Equal(EnqueueOutcome.Conflated, ring.Enqueue(3, 31, conflate: true));
        Assert.Equal([20, 31], Drain(ring));
    }

    private static List<int> Drain(KeyedRing<int> ring)
    {
        var items = new List<int>();
        while (ring.TryDequeue(out int item))
        {
            items.Add(item);
        }

        return items;
    }
}
