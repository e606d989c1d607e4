using MarketFeed.Feeds;
using MarketFeed.Hosting;
using MarketFeed.Model;
using MarketFeed.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace MarketFeed.Tests.Feeds;

/// <summary>REST failover of the feed session: its state says whether REST rounds really deliver.</summary>
public class FeedSessionFailoverTests
{
    [Fact]
    public async Task A_rest_round_that_times_out_is_a_poll_failure_and_the_feed_is_not_shown_polling()
    {
        // The stream is refused, so the session polls; then every REST call times out the way HttpClient does
        // (TaskCanceledException, the round's own token never cancelled). That is REST failing, not a stale round.
        await using KiteVenue venue = await KiteVenue.StartAsync(faults: "refuse");
        var poller = new TimingOutPoller(venue.Feed.Rest);
        var health = new FeedHealth("kite-timeouts", TimeProvider.System);
        var context = new FeedContext(venue.Host.Hub, venue.Host.Subscriptions, venue.Host.Instruments, TimeProvider.System, NullLogger.Instance);
        var session = new FeedSession("kite-timeouts", venue.Feed.Protocol, venue.Feed.Options().Stream, context, health, id => venue.Feed.Master.TryGetToken(id, out _), poller);
        using var stop = new CancellationTokenSource();
        Task running = session.RunAsync(stop.Token);
        await using MarketSubscription sub = venue.Host.Subscribe("NSE:INFY");

        await SimulatedHost.WaitUntil(() => health.State == FeedState.Polling);
        poller.TimeOut = true;
        await SimulatedHost.WaitUntil(() => poller.TimedOut >= 2);
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Disconnected, 5_000);
        Assert.True(health.PollFailures >= 1, $"{health.PollFailures} poll failures counted after {poller.TimedOut} timed-out rounds");

        poller.TimeOut = false;
        await SimulatedHost.WaitUntil(() => health.State == FeedState.Polling);

        await stop.CancelAsync();
        await running;
        Assert.Equal(FeedState.Stopped, health.State);
    }

    private sealed class TimingOutPoller(IQuotePoller inner) : IQuotePoller
    {
        private int _timedOut;

        public volatile bool TimeOut;

        public int TimedOut => Volatile.Read(ref _timedOut);

        public TimeSpan Interval => inner.Interval;

        public async Task<IReadOnlyList<Tick>> PollAsync(IReadOnlyList<InstrumentId> instruments, CancellationToken cancellationToken)
        {
            if (!TimeOut)
            {
                return await inner.PollAsync(instruments, cancellationToken);
            }

            await Task.Delay(50, cancellationToken);
            Interlocked.Increment(ref _timedOut);
            throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 15 seconds elapsing.", new TimeoutException());
        }
    }
}
