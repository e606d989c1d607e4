using MarketFeed.Feeds;

namespace MarketFeed.Tests.Feeds;

public class FeedHealthTests
{
    [Fact]
    public void The_last_error_is_cleared_when_the_feed_recovers()
    {
        var health = new FeedHealth("kite", TimeProvider.System);
        var changes = new List<FeedStateChange>();
        health.StateChanged += changes.Add;
        health.SetState(FeedState.Connected);
        health.SetState(FeedState.Reconnecting, "connection reset by peer");
        Assert.Equal("connection reset by peer", health.LastError);

        health.SetState(FeedState.Connected);

        Assert.Null(health.LastError);
        Assert.Equal([FeedState.Connected, FeedState.Reconnecting, FeedState.Connected], changes.Select(c => c.To));
    }

    [Fact]
    public void Polling_keeps_the_error_that_made_the_feed_fail_over()
    {
        var health = new FeedHealth("kite", TimeProvider.System);
        health.SetState(FeedState.Reconnecting, "no data for 10 s");
        health.SetState(FeedState.Polling, "stream down, polling REST");
        Assert.Equal("no data for 10 s", health.LastError);
    }
}
