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

    [Fact]
    public void A_venue_error_about_one_instrument_is_kept_for_it_alone_made_safe_until_cleared()
    {
        var health = new FeedHealth("finnhub", TimeProvider.System);
        var refused = new MarketFeed.Model.InstrumentId(7);
        health.RecordInstrumentError(refused, "Subscribing to\r\ntoo many symbols\u001b[31m");

        Assert.Equal("Subscribing to too many symbols [31m", health.InstrumentError(refused));
        Assert.Null(health.InstrumentError(new MarketFeed.Model.InstrumentId(8)));
        Assert.Null(health.LastError);

        health.ClearInstrumentError(refused);
        Assert.Null(health.InstrumentError(refused));
    }

    [Fact]
    public void Duplicates_dropped_add_up()
    {
        var health = new FeedHealth("finnhub", TimeProvider.System);
        health.CountDuplicates(3);
        health.CountDuplicates(2);
        Assert.Equal(5, health.DuplicatesDropped);
    }
}
