using MarketFeed.Feeds;
using MarketFeed.Model;

namespace MarketFeed.Tests.Feeds;

public class SubscriptionManagerTests
{
    private readonly SubscriptionManager _manager = new();
    private readonly List<DesiredChange> _changes = [];
    private static readonly InstrumentId Infy = new(7);

    public SubscriptionManagerTests() => _manager.Changed += _changes.Add;

    [Fact]
    public void The_first_lease_subscribes_and_the_last_release_unsubscribes()
    {
        Lease a = _manager.Acquire(Infy, FeedMode.Quote);
        Lease b = _manager.Acquire(Infy, FeedMode.Quote);
        Assert.True(_manager.IsWanted(Infy));
        a.Dispose();
        Assert.True(_manager.IsWanted(Infy));
        b.Dispose();
        Assert.False(_manager.IsWanted(Infy));
        Assert.Equal([new DesiredChange(Infy, null, FeedMode.Quote), new DesiredChange(Infy, FeedMode.Quote, null)], _changes);
    }

    [Fact]
    public void The_effective_mode_is_the_highest_held_and_downgrades_when_it_is_released()
    {
        using Lease ltp = _manager.Acquire(Infy, FeedMode.Ltp);
        Lease full = _manager.Acquire(Infy, FeedMode.Full);
        using Lease quote = _manager.Acquire(Infy, FeedMode.Quote);
        Assert.Equal(FeedMode.Full, _manager.EffectiveMode(Infy));
        full.Dispose();
        Assert.Equal(FeedMode.Quote, _manager.EffectiveMode(Infy));
        Assert.Equal(
            [new DesiredChange(Infy, null, FeedMode.Ltp), new DesiredChange(Infy, FeedMode.Ltp, FeedMode.Full), new DesiredChange(Infy, FeedMode.Full, FeedMode.Quote)],
            _changes);
    }

    [Fact]
    public void Disposing_a_lease_twice_releases_it_once()
    {
        using Lease keep = _manager.Acquire(Infy, FeedMode.Ltp);
        Lease twice = _manager.Acquire(Infy, FeedMode.Ltp);
        twice.Dispose();
        twice.Dispose();
        Assert.True(_manager.IsWanted(Infy));
        Assert.Equal(1, _manager.LeaseCount(Infy));
    }

    [Fact]
    public void Desired_is_the_replayable_set_with_modes()
    {
        using Lease a = _manager.Acquire(new InstrumentId(1), FeedMode.Full);
        using Lease b = _manager.Acquire(new InstrumentId(900), FeedMode.Ltp);
        Assert.Equal(
            [new DesiredSubscription(new InstrumentId(1), FeedMode.Full), new DesiredSubscription(new InstrumentId(900), FeedMode.Ltp)],
            _manager.Desired().OrderBy(d => d.Instrument.Value));
    }
}
